import { createHash } from 'node:crypto';
import type { Random } from '../random';
import { DAY } from '../time';
import type { People } from './people';

/** The closing message of a temporary session, as written (images by media_id). */
export interface ContactWayConclusions {
  text?: { content?: string };
  image?: { media_id?: string };
  link?: { title?: string; picurl?: string; desc?: string; url?: string };
  miniprogram?: { title?: string; pic_media_id?: string; appid?: string; page?: string };
}

/** One 「联系我」 configuration. */
export interface ContactWay {
  config_id: string;
  type: number;
  scene: number;
  style?: number;
  remark: string;
  skip_verify: boolean;
  state?: string;
  user: string[];
  party: number[];
  is_temp: boolean;
  expires_in?: number;
  chat_expires_in?: number;
  unionid?: string;
  mark_source?: boolean;
  conclusions?: ContactWayConclusions;
  /** Unix seconds; list_contact_way filters on it. */
  createTime: number;
}

/** A session opened through a temporary-session configuration; close_temp_chat ends it early. */
export interface TempChat {
  config_id: string;
  userid: string;
  external_userid: string;
  /** Unix seconds. */
  endTime: number;
}

export interface ContactWayBook {
  /** In creation order. */
  ways: Map<string, ContactWay>;
  tempChats: TempChat[];
  nextId: number;
}

/** WeCom lists no configuration created before 2021-07-10 00:00 (China time). */
export const LISTABLE_SINCE = 1_625_846_400;
export const DEFAULT_TEMP_EXPIRES_IN = 7 * DAY;
export const DEFAULT_TEMP_CHAT_EXPIRES_IN = DAY;

// The same channels seeded follows carry in follow_user.state, so configurations and customers line up.
const STATES = ['spring_campaign', 'website', 'offline_event', 'expo2024'];
const REMARKS = ['门店前台', '官网客服', '展会展位', '销售名片', '售后服务'];

export function seedContactWays(
  random: Random,
  people: People,
  scale: number,
  nowSeconds: number,
): ContactWayBook {
  const book: ContactWayBook = { ways: new Map(), tempChats: [], nextId: 1 };
  const staff = people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
  const departments = [...new Set(people.members.flatMap((member) => member.department))];
  const count = Math.max(20, Math.min(20_000, Math.round(scale / 20)));
  const creationTimes = Array.from({ length: count }, () => nowSeconds - random.int(60, 720 * DAY)).sort(
    (a, b) => a - b,
  );
  for (const createTime of creationTimes) {
    const single = random.chance(0.7);
    const scene = random.chance(0.8) ? 2 : 1;
    const way: ContactWay = {
      config_id: newConfigId(book, 'contact_way'),
      type: single ? 1 : 2,
      scene,
      ...(scene === 1 && { style: random.int(1, 3) }),
      remark: random.pick(REMARKS),
      skip_verify: random.chance(0.8),
      ...(random.chance(0.6) && { state: random.pick(STATES) }),
      user: (single ? [random.pick(staff)] : random.sample(staff, random.int(2, 5))).map(
        (member) => member.userid,
      ),
      party: !single && random.chance(0.3) ? [random.pick(departments)] : [],
      is_temp: false,
      createTime,
    };
    book.ways.set(way.config_id, way);
  }
  seedTemporaryWays(random, people, staff, Math.max(3, Math.round(count / 20)), nowSeconds, book);
  return book;
}

/** Temporary-session QR codes from the last few days, some with sessions still running. */
function seedTemporaryWays(
  random: Random,
  people: People,
  staff: People['members'],
  count: number,
  nowSeconds: number,
  book: ContactWayBook,
): void {
  for (let index = 0; index < count; index++) {
    const member = random.pick(staff);
    const createTime = nowSeconds - random.int(3_600, 3 * DAY);
    const chatExpiresIn = random.pick([DAY, 3 * DAY, 7 * DAY]);
    const way: ContactWay = {
      config_id: newConfigId(book, 'contact_way'),
      type: 1,
      scene: 2,
      remark: '问诊临时会话',
      skip_verify: true,
      user: [member.userid],
      party: [],
      is_temp: true,
      expires_in: DEFAULT_TEMP_EXPIRES_IN,
      chat_expires_in: chatExpiresIn,
      conclusions: { text: { content: '感谢咨询，祝您健康' } },
      createTime,
    };
    book.ways.set(way.config_id, way);
    const follows = people.followsByMember.get(member.userid) ?? [];
    if (follows.length === 0) continue;
    const startTime = createTime + random.int(60, 3_600);
    book.tempChats.push({
      config_id: way.config_id,
      userid: member.userid,
      external_userid: random.pick(follows).external_userid,
      endTime: startTime + chatExpiresIn,
    });
  }
}

/** 32 hex characters, like WeCom's config ids; `kind` keeps contact ways and join ways apart. */
export function newConfigId(book: { nextId: number }, kind: string): string {
  return createHash('md5')
    .update(`${kind}:${book.nextId++}`)
    .digest('hex');
}

export function qrCodeUrl(configId: string): string {
  return `https://wework.qpic.cn/wwpic/sandbox/${configId}/0`;
}
