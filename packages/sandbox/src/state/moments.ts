import type { Random } from '../random';
import { DAY } from '../time';
import type { People } from './people';

export interface MomentRecord {
  moment_id: string;
  creator?: string;
  create_time: number;
  create_type: 0 | 1;
  visible_type: 0 | 1;
  text?: { content: string };
  image?: { media_id: string }[];
  link?: { title: string; url: string };
  location?: { latitude: string; longitude: string; name: string };
  /** Members asked to publish an enterprise moment, and whether they did. */
  tasks: { userid: string; publish_status: 0 | 1 }[];
  /** Customers each member chose as the audience / who could finally see it. */
  audience: Map<string, string[]>;
  comments: Interaction[];
  likes: Interaction[];
}

export type Interaction = { create_time: number } & ({ external_userid: string } | { userid: string });

export interface MomentJob {
  jobid: string;
  createdAt: number;
  invalidSenders: string[];
  /** The moment being created; it joins the list when the job is first seen done. */
  moment: MomentRecord;
  done: boolean;
}

export interface MomentBook {
  moments: MomentRecord[];
  momentsById: Map<string, MomentRecord>;
  jobs: Map<string, MomentJob>;
  nextId: number;
}

const TEXTS = [
  '新品上市，欢迎咨询',
  '周末沙龙报名开启',
  '客户案例分享',
  '节日快乐',
  '产品升级说明',
  '限时优惠',
];

/** Moments spread over the last 180 days, a few per day, with tasks, audiences and interactions. */
export function seedMoments(random: Random, people: People, scale: number, nowSeconds: number): MomentBook {
  const book: MomentBook = { moments: [], momentsById: new Map(), jobs: new Map(), nextId: 1 };
  const count = Math.max(60, Math.min(5_000, Math.round(scale / 5)));
  const publishers = people.members.filter((member) => member.hasCustomerContact);
  for (let index = 0; index < count; index++) {
    const enterprise = random.chance(0.5);
    const creator = random.pick(publishers);
    const createTime = nowSeconds - random.int(60, 180 * DAY);
    const taskMembers = enterprise
      ? random.sample(publishers, Math.min(publishers.length, random.int(2, 6)))
      : [creator];
    const moment: MomentRecord = {
      moment_id: newMomentId(book),
      ...(!enterprise || random.chance(0.5) ? { creator: creator.userid } : {}),
      create_time: createTime,
      create_type: enterprise ? 0 : 1,
      visible_type: random.chance(0.3) ? 0 : 1,
      text: { content: random.pick(TEXTS) },
      ...(random.chance(0.5) && { image: [{ media_id: `WWCISP_sandbox_${index}` }] }),
      ...(random.chance(0.15) && { link: { title: '产品介绍', url: 'https://example.com/product' } }),
      ...(random.chance(0.1) && {
        location: { latitude: '23.10647', longitude: '113.32446', name: '广州市 · 广州塔' },
      }),
      tasks: taskMembers.map((member) => ({
        userid: member.userid,
        publish_status: random.chance(0.8) ? 1 : 0,
      })),
      audience: new Map(),
      comments: [],
      likes: [],
    };
    for (const member of taskMembers) {
      const customers = (people.followsByMember.get(member.userid) ?? []).map(
        (follow) => follow.external_userid,
      );
      moment.audience.set(
        member.userid,
        random.sample(customers, Math.min(customers.length, random.int(5, 40))),
      );
    }
    const viewers = [...moment.audience.values()].flat();
    for (let like = random.int(0, 8); like > 0 && viewers.length > 0; like--) {
      moment.likes.push({
        external_userid: random.pick(viewers),
        create_time: createTime + random.int(60, DAY),
      });
    }
    for (let comment = random.int(0, 4); comment > 0 && viewers.length > 0; comment--) {
      moment.comments.push(
        random.chance(0.8)
          ? { external_userid: random.pick(viewers), create_time: createTime + random.int(60, DAY) }
          : { userid: creator.userid, create_time: createTime + random.int(60, DAY) },
      );
    }
    addMoment(book, moment);
  }
  book.moments.sort((a, b) => b.create_time - a.create_time);
  return book;
}

export function newMomentId(book: MomentBook): string {
  return `mom${String(book.nextId++).padStart(8, '0')}SANDBOX`;
}

export function addMoment(book: MomentBook, moment: MomentRecord): void {
  book.moments.push(moment);
  book.momentsById.set(moment.moment_id, moment);
}
