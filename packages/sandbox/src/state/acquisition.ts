import type { Random } from '../random';
import { DAY, dayStart } from '../time';
import type { Follow, People } from './people';

export interface AcquisitionRange {
  user_list: string[];
  department_list: number[];
}

export interface AcquisitionPriorityOption {
  priority_type?: number;
  priority_userid_list?: string[];
}

export interface AcquisitionLink {
  link_id: string;
  link_name: string;
  url: string;
  create_time: number;
  skip_verify: boolean;
  mark_source: boolean;
  range: AcquisitionRange;
  priority_option?: AcquisitionPriorityOption;
}

/** A customer who added `userid` through a link: one record per (link, member, customer). */
export interface AcquiredCustomer {
  link_id: string;
  external_userid: string;
  userid: string;
  /** 0 no message yet, 1 has written, 2 unknown. */
  chat_status: 0 | 1 | 2;
  /** The customer_channel of the URL the customer opened. */
  state?: string;
  addTime: number;
}

/** The ChatKey of a 成员多次收消息 callback: resolvable for 30 minutes after it was pushed. */
export interface AcquisitionChatKey {
  chat_key: string;
  customer: AcquiredCustomer;
  recv_msg_cnt: number;
  issuedAt: number;
}

export interface QuotaBatch {
  /** Unix seconds of midnight (Beijing time) on the day the batch lapses. */
  expire_date: number;
  balance: number;
}

export interface AcquisitionBook {
  /** Live links, oldest first; deleted links leave this list but their customers stay. */
  links: AcquisitionLink[];
  linksById: Map<string, AcquisitionLink>;
  customers: AcquiredCustomer[];
  customersByLink: Map<string, AcquiredCustomer[]>;
  /** Link clicks per link, per Beijing calendar day (keyed by the day's midnight). */
  clicksByLink: Map<string, Map<number, number>>;
  chatKeys: Map<string, AcquisitionChatKey>;
  quota: QuotaBatch[];
  nextId: number;
}

/** WeCom does not publish the cap behind 41095; the sandbox uses this one. */
export const MAX_ACQUISITION_LINKS = 1_000;
export const CHAT_KEY_TTL_SECONDS = 30 * 60;
const LINK_NAMES = ['官网咨询', '抖音投放', '公众号菜单', '线下展会', '短信触达', '小程序客服', '朋友圈广告'];
const CHANNELS = ['douyin', 'wechat_mp', 'sms', 'expo_2024', 'baidu_sem'];

/** Links with their ranges, the customers they brought (already contacts, add_way 16), clicks and quota. */
export function seedAcquisition(
  random: Random,
  people: People,
  scale: number,
  nowSeconds: number,
): AcquisitionBook {
  const book: AcquisitionBook = {
    links: [],
    linksById: new Map(),
    customers: [],
    customersByLink: new Map(),
    clicksByLink: new Map(),
    chatKeys: new Map(),
    quota: [],
    nextId: 1,
  };
  const receivers = people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
  const linkCount = Math.max(3, Math.min(200, Math.round(scale / 200)));
  const claimed = new Set<Follow>();
  for (let index = 0; index < linkCount; index++) {
    const members = random.sample(receivers, Math.min(receivers.length, random.int(1, 4)));
    const link = addLink(book, {
      link_name: `${random.pick(LINK_NAMES)}${index + 1}号`,
      create_time: nowSeconds - random.int(30, 400) * DAY,
      skip_verify: random.chance(0.8),
      mark_source: true,
      range: {
        user_list: members.map((member) => member.userid),
        department_list: random.chance(0.2) ? [random.pick(members).department[0] as number] : [],
      },
    });
    seedLinkTraffic(random, people, book, link, claimed, nowSeconds);
  }
  book.customers.sort((a, b) => a.addTime - b.addTime);
  for (const customers of book.customersByLink.values()) customers.sort((a, b) => a.addTime - b.addTime);
  const purchased = Math.ceil((book.customers.length * 1.5) / 100) * 100 + 100;
  const firstExpiry = dayStart(nowSeconds + random.int(20, 90) * DAY);
  book.quota = [
    { expire_date: firstExpiry, balance: Math.round(purchased * 0.4) },
    { expire_date: firstExpiry + 180 * DAY, balance: purchased - Math.round(purchased * 0.4) },
  ];
  return book;
}

function seedLinkTraffic(
  random: Random,
  people: People,
  book: AcquisitionBook,
  link: AcquisitionLink,
  claimed: Set<Follow>,
  nowSeconds: number,
) {
  const clicks = book.clicksByLink.get(link.link_id) as Map<number, number>;
  const click = (time: number, count = 1) =>
    clicks.set(dayStart(time), (clicks.get(dayStart(time)) ?? 0) + count);
  for (const userid of link.range.user_list) {
    const follows = (people.followsByMember.get(userid) ?? []).filter(
      (follow) => follow.createtime > link.create_time && !claimed.has(follow),
    );
    for (const follow of random.sample(follows, Math.min(follows.length, random.int(3, 25)))) {
      claimed.add(follow);
      const state = random.chance(0.7) ? random.pick(CHANNELS) : undefined;
      // The relation was made through the link, so the customer detail tells the same story.
      follow.add_way = 16;
      follow.oper_userid = follow.external_userid;
      if (state) follow.state = state;
      else delete follow.state;
      const customer: AcquiredCustomer = {
        link_id: link.link_id,
        external_userid: follow.external_userid,
        userid,
        chat_status: random.pick([0, 1, 1, 1, 2] as const),
        ...(state && { state }),
        addTime: follow.createtime,
      };
      book.customers.push(customer);
      book.customersByLink.get(link.link_id)?.push(customer);
      click(follow.createtime, random.int(1, 3));
      if (customer.chat_status === 1 && random.chance(0.5)) {
        const fresh = book.chatKeys.size % 2 === 0;
        const chatKey = `CK${String(book.chatKeys.size + 1).padStart(8, '0')}SANDBOX`;
        book.chatKeys.set(chatKey, {
          chat_key: chatKey,
          customer,
          recv_msg_cnt: random.int(2, 12),
          issuedAt: nowSeconds - (fresh ? random.int(0, 25 * 60) : random.int(31 * 60, 6 * 3_600)),
        });
      }
    }
  }
  // Visitors who opened the link without adding anyone.
  for (
    let time = Math.max(link.create_time, nowSeconds - 200 * DAY);
    time < nowSeconds;
    time += random.int(1, 5) * DAY
  ) {
    click(time, random.int(1, 6));
  }
}

export function addLink(
  book: AcquisitionBook,
  fields: Omit<AcquisitionLink, 'link_id' | 'url'>,
): AcquisitionLink {
  const link_id = `cawcde${(book.nextId++).toString(16).padStart(12, '0')}`;
  const link = { link_id, url: `https://work.weixin.qq.com/ca/${link_id}`, ...fields };
  book.links.push(link);
  book.linksById.set(link_id, link);
  book.customersByLink.set(link_id, []);
  book.clicksByLink.set(link_id, new Map());
  return link;
}
