import type { Random } from '../random';
import { DAY } from '../time';

export interface Member {
  userid: string;
  name: string;
  department: number[];
  /** Members with 客户联系 enabled appear in get_follow_user_list. */
  hasCustomerContact: boolean;
  /** Unix seconds; set for members who left and await reassignment of their customers. */
  dimissionTime?: number;
}

export interface Customer {
  external_userid: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  gender: 0 | 1 | 2;
  avatar: string;
  unionid?: string;
  position?: string;
  corp_name?: string;
  corp_full_name?: string;
}

/** One (member, customer) relation: what get's follow_user and batch/get_by_user's follow_info describe. */
export interface Follow {
  userid: string;
  external_userid: string;
  remark: string;
  description: string;
  createtime: number;
  tagIds: string[];
  remark_corp_name: string;
  remark_mobiles: string[];
  add_way: number;
  oper_userid: string;
  state?: string;
}

export interface People {
  members: Member[];
  membersById: Map<string, Member>;
  customers: Customer[];
  customersById: Map<string, Customer>;
  follows: Follow[];
  followsByMember: Map<string, Follow[]>;
  followsByCustomer: Map<string, Follow[]>;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
];
const COMPANIES = ['腾讯科技', '星河贸易', '远景咨询', '青禾教育', '蓝海物流', '恒信医疗'];
const ADD_WAYS = [0, 1, 1, 1, 2, 3, 4, 5, 6, 8, 9, 10, 201, 202];

export function seedPeople(random: Random, scale: number, nowSeconds: number, idTag = 'SANDBOX'): People {
  const memberCount = Math.max(12, Math.min(2_000, Math.round(scale / 50)));
  const members: Member[] = Array.from({ length: memberCount }, (_, index) => ({
    userid: `member${String(index + 1).padStart(4, '0')}`,
    name: `${random.pick(SURNAMES)}${random.pick(GIVEN)}`,
    department: [1 + (index % 8)],
    hasCustomerContact: index % 10 !== 9,
    ...(index % 25 === 24 && { dimissionTime: nowSeconds - random.int(1, 60) * DAY }),
  }));
  const followers = members.filter((member) => member.hasCustomerContact);

  const customers: Customer[] = Array.from({ length: scale }, (_, index) => customerAt(random, index, idTag));
  const follows: Follow[] = [];
  for (const customer of customers) {
    const count = random.chance(0.15) ? 2 : 1;
    for (const member of random.sample(followers, count)) {
      follows.push(followOf(random, member, customer, nowSeconds));
    }
  }
  return indexPeople(members, customers, follows);
}

export function indexPeople(members: Member[], customers: Customer[], follows: Follow[]): People {
  const group = (key: 'userid' | 'external_userid') => {
    const map = new Map<string, Follow[]>();
    for (const follow of follows) pushTo(map, follow[key], follow);
    return map;
  };
  return {
    members,
    membersById: new Map(members.map((member) => [member.userid, member])),
    customers,
    customersById: new Map(customers.map((customer) => [customer.external_userid, customer])),
    follows,
    followsByMember: group('userid'),
    followsByCustomer: group('external_userid'),
  };
}

/** Records a new relation in the list and both indexes. */
export function addFollow(people: People, follow: Follow): void {
  people.follows.push(follow);
  pushTo(people.followsByMember, follow.userid, follow);
  pushTo(people.followsByCustomer, follow.external_userid, follow);
}

/** Ends a relation everywhere it is indexed, so list/get/batch reads agree at once. */
export function removeFollow(people: People, follow: Follow): void {
  removeFrom(people.follows, follow);
  removeFrom(people.followsByMember.get(follow.userid), follow);
  removeFrom(people.followsByCustomer.get(follow.external_userid), follow);
}

export function pushTo(map: Map<string, Follow[]>, key: string, follow: Follow): void {
  const list = map.get(key);
  if (list) list.push(follow);
  else map.set(key, [follow]);
}

export function removeFrom(list: Follow[] | undefined, follow: Follow): void {
  const index = list?.indexOf(follow) ?? -1;
  if (index >= 0) list?.splice(index, 1);
}

function customerAt(random: Random, index: number, idTag: string): Customer {
  const isWeCom = random.chance(0.2);
  const id = index.toString(36).padStart(8, '0');
  const name = `${random.pick(SURNAMES)}${random.pick(GIVEN)}`;
  if (isWeCom) {
    const company = random.pick(COMPANIES);
    return {
      external_userid: `wo${id}${idTag}`,
      name,
      type: 2,
      gender: random.pick([0, 1, 2] as const),
      avatar: `https://wework.qpic.cn/sandbox/${id}/0`,
      position: random.pick(['经理', '采购', '工程师', '总监']),
      corp_name: company,
      corp_full_name: `${company}有限公司`,
    };
  }
  return {
    external_userid: `wm${id}${idTag}`,
    name,
    type: 1,
    gender: random.pick([0, 1, 2] as const),
    avatar: `https://wx.qlogo.cn/sandbox/${id}/0`,
    ...(random.chance(0.7) && { unionid: `oSandbox${id}` }),
  };
}

export function followOf(random: Random, member: Member, customer: Customer, nowSeconds: number): Follow {
  const addWay = random.pick(ADD_WAYS);
  return {
    userid: member.userid,
    external_userid: customer.external_userid,
    remark: random.chance(0.4) ? `${customer.name}(${random.pick(['老客户', '意向', 'VIP'])})` : '',
    description: random.chance(0.3) ? '来自线下活动' : '',
    createtime: nowSeconds - random.int(1, 720) * DAY + random.int(0, DAY - 1),
    tagIds: [],
    remark_corp_name: customer.corp_name ?? '',
    remark_mobiles: random.chance(0.3) ? [`138${String(random.int(0, 99_999_999)).padStart(8, '0')}`] : [],
    add_way: addWay,
    oper_userid:
      addWay === 201 || addWay === 202
        ? member.userid
        : random.pick([member.userid, customer.external_userid]),
    ...(random.chance(0.2) && { state: random.pick(['spring_campaign', 'website', 'offline_event']) }),
  };
}
