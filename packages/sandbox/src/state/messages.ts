import type { components } from '@wecom-kit/client';
import type { Random } from '../random';
import { DAY, dayStart } from '../time';
import type { GroupChat, GroupChatBook } from './group-chats';
import type { Member, People } from './people';
import { hashOf } from './statistics';

/** The sub-objects a message part may carry, and the fields each keeps. */
export const PART_FIELDS = {
  image: ['media_id', 'pic_url'],
  link: ['title', 'picurl', 'desc', 'url'],
  miniprogram: ['title', 'pic_media_id', 'appid', 'page'],
  file: ['media_id'],
  video: ['media_id'],
} as const;
export type PartType = keyof typeof PART_FIELDS;
/** The part types in WeCom's priority order: a welcome template keeps the first one given. */
export const PART_TYPES = Object.keys(PART_FIELDS) as PartType[];
export type Part = Record<string, string>;
/** A mass-message or welcome-message attachment, as the spec describes it. */
export type Attachment = components['schemas']['MessageAttachment'];

/** One recipient row: a customer for `single` sends, a group for `group` sends. */
export interface Recipient {
  external_userid?: string;
  chat_id?: string;
  /** 0 not sent, 1 sent, 2 no longer a contact, 3 receive cap reached. */
  status: 0 | 1 | 2 | 3;
  send_time?: number;
  /** Decided when the message is created: the customer already got a mass message that day. */
  capped: boolean;
}

export interface SendTask {
  userid: string;
  /** 0 not sent, 2 sent. */
  status: 0 | 2;
  send_time?: number;
  /** When the member confirms the message; absent when they never will (or it was cancelled). */
  sendAt?: number;
  recipients: Recipient[];
}

export interface GroupMsg {
  msgid: string;
  creator?: string;
  create_time: number;
  create_type: 0 | 1;
  chat_type: 'single' | 'group';
  text?: { content: string };
  attachments: Attachment[];
  tasks: SendTask[];
  cancelled: boolean;
  /** Reminder times, seconds, for the three-per-24-hours rule. */
  reminders: number[];
  /** Reads answer 41063 for DISPATCH_MS after this: the message is still being dispatched. */
  createdAtMs: number;
}

/** The (member, customer) relation a welcome_code was pushed for, and its single use. */
export interface WelcomeCode {
  userid: string;
  external_userid: string;
  expiresAtMs: number;
  usedAt?: number;
  /** What send_welcome_msg sent with the code. */
  message?: { text?: { content: string }; attachments: Attachment[] };
}

export interface GroupWelcomeTemplate {
  template_id: string;
  text?: { content: string };
  /** Besides text, one part at most (WeCom keeps the first of image, link, miniprogram, file, video). */
  part?: { type: PartType; value: Part };
  /** Created by another app or the admin console: this app may read it but not edit or delete it (41058). */
  foreign: boolean;
}

export interface MessageBook {
  messages: GroupMsg[];
  messagesById: Map<string, GroupMsg>;
  /** Messages with tasks still waiting for their member to confirm. */
  pending: Set<GroupMsg>;
  /** The Beijing day on which each customer last got a mass message (the one-per-day receive cap). */
  lastReceived: Map<string, number>;
  welcomeCodes: Map<string, WelcomeCode>;
  templates: Map<string, GroupWelcomeTemplate>;
  nextId: number;
}

/** A welcome_code is usable for 20 seconds after the add-contact event. */
export const WELCOME_CODE_TTL_MS = 20_000;
/** How long a new mass message is "being dispatched" (41063 on reads). */
export const DISPATCH_MS = 200;
const TEXTS = [
  '双十一活动开始啦，点击了解详情',
  '您好，新品已到店',
  '会员日专享优惠',
  '服务升级通知',
  '节日问候',
];
const SAMPLE_PARTS: Attachment[] = [
  { msgtype: 'image', image: { pic_url: 'https://wework.qpic.cn/sandbox/poster/0' } },
  { msgtype: 'link', link: { title: '活动详情', url: 'https://example.com/campaign', desc: '限时优惠' } },
  {
    msgtype: 'miniprogram',
    miniprogram: {
      title: '商城',
      pic_media_id: 'MEDIA_sandbox',
      appid: 'wx8bd80126147dfAAA',
      page: '/pages/index',
    },
  },
  { msgtype: 'file', file: { media_id: 'MEDIA_sandbox_file' } },
];

/** Mass messages over the last 180 days with their tasks and results, and a few group welcome templates. */
export function seedMessages(
  random: Random,
  people: People,
  groupChats: GroupChatBook,
  scale: number,
  nowSeconds: number,
): MessageBook {
  const book: MessageBook = {
    messages: [],
    messagesById: new Map(),
    pending: new Set(),
    lastReceived: new Map(),
    welcomeCodes: new Map(),
    templates: new Map(),
    nextId: 1,
  };
  const senders = people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
  const count = Math.max(30, Math.min(3_000, Math.round(scale / 10)));
  const chatsByOwner = new Map<string, GroupChat[]>();
  for (const chat of groupChats.chats) {
    const owned = chatsByOwner.get(chat.owner);
    if (owned) owned.push(chat);
    else chatsByOwner.set(chat.owner, [chat]);
  }
  const times = Array.from({ length: count }, () => nowSeconds - random.int(600, 180 * DAY)).sort(
    (a, b) => a - b,
  );
  for (const createTime of times) {
    const byMember = random.chance(0.5);
    const taskMembers = random.sample(senders, byMember ? 1 : random.int(1, 3));
    const chats = chatsByOwner.get(taskMembers[0]?.userid as string) ?? [];
    const toGroups = random.chance(0.2) && chats.length > 0;
    const message = newGroupMsg(book, {
      ...(byMember || random.chance(0.5) ? { creator: taskMembers[0]?.userid as string } : {}),
      create_time: createTime,
      create_type: byMember ? 1 : 0,
      chat_type: toGroups ? 'group' : 'single',
      text: { content: random.pick(TEXTS) },
      attachments: random.chance(0.4) ? [random.pick(SAMPLE_PARTS)] : [],
      createdAtMs: 0,
    });
    message.tasks = (toGroups ? taskMembers.slice(0, 1) : taskMembers).map((member) => ({
      userid: member.userid,
      status: 0,
      ...(random.chance(0.85) && { sendAt: createTime + random.int(300, 36 * 3_600) }),
      recipients: toGroups
        ? random
            .sample(chats, random.int(1, 5))
            .map((chat) => ({ chat_id: chat.chat_id, status: 0, capped: false }))
        : seededAudience(random, book, people, member, createTime),
    }));
    addGroupMsg(book, message);
  }
  settleMessages(book, people, nowSeconds);
  for (let index = 0; index < 4; index++) {
    addTemplate(book, {
      text: { content: `亲爱的%NICKNAME%，欢迎加入${['VIP', '产品交流', '售后', '会员'][index]}群` },
      ...(index % 2 === 0 && {
        part: { type: 'link', value: { title: '入群须知', url: 'https://example.com/rules' } },
      }),
      foreign: index === 3,
    });
  }
  return book;
}

function seededAudience(
  random: Random,
  book: MessageBook,
  people: People,
  member: Member,
  createTime: number,
): Recipient[] {
  const follows = people.followsByMember.get(member.userid) ?? [];
  return random.sample(follows, Math.min(follows.length, random.int(3, 30))).map((follow) => ({
    external_userid: follow.external_userid,
    status: 0,
    capped: capReached(book, follow.external_userid, createTime),
  }));
}

export function newGroupMsg(
  book: MessageBook,
  fields: Omit<GroupMsg, 'msgid' | 'tasks' | 'cancelled' | 'reminders'>,
): GroupMsg {
  const msgid = `msg${(book.nextId++).toString(36).padStart(8, '0')}SANDBOX`;
  return { msgid, ...fields, tasks: [], cancelled: false, reminders: [] };
}

export function addGroupMsg(book: MessageBook, message: GroupMsg): void {
  book.messages.push(message);
  book.messagesById.set(message.msgid, message);
  if (message.tasks.some((task) => task.sendAt !== undefined)) book.pending.add(message);
}

/** Whether the customer already got a mass message on the day of `time`; records this one otherwise. */
export function capReached(book: MessageBook, externalUserid: string, time: number): boolean {
  const day = dayStart(time);
  if (book.lastReceived.get(externalUserid) === day) return true;
  book.lastReceived.set(externalUserid, day);
  return false;
}

/** Members confirm their tasks when their time comes; results are fixed at that moment. */
export function settleMessages(book: MessageBook, people: People, nowSeconds: number): void {
  for (const message of book.pending) {
    let waiting = false;
    for (const task of message.tasks) {
      if (task.status !== 0 || task.sendAt === undefined) continue;
      if (task.sendAt > nowSeconds) {
        waiting = true;
        continue;
      }
      task.status = 2;
      task.send_time = task.sendAt;
      for (const recipient of task.recipients) {
        const customer = recipient.external_userid;
        const stillContact =
          customer === undefined ||
          (people.followsByCustomer.get(customer) ?? []).some((follow) => follow.userid === task.userid);
        recipient.status = !stillContact ? 2 : recipient.capped ? 3 : 1;
        if (recipient.status === 1) recipient.send_time = task.sendAt;
      }
    }
    if (!waiting) book.pending.delete(message);
  }
}

/** When a member confirms a new task: most within a day and a half, some never. Fixed by the ids. */
export function confirmationTime(msgid: string, userid: string, createTime: number): number | undefined {
  const roll = hashOf(msgid, userid);
  return roll % 100 < 85 ? createTime + 300 + (roll % (36 * 3_600)) : undefined;
}

/**
 * Issues the single-use welcome_code an add-contact event carries. Call it wherever a customer
 * newly adds a member; the code works for 20 seconds with send_welcome_msg.
 */
export function issueWelcomeCode(
  book: MessageBook,
  userid: string,
  externalUserid: string,
  now: number,
): string {
  // Codes are issued in time order, so the expired ones sit at the front; keep an hour for 41051.
  for (const [code, entry] of book.welcomeCodes) {
    if (entry.expiresAtMs > now - 3_600_000) break;
    book.welcomeCodes.delete(code);
  }
  const welcomeCode = `WELCOME${(book.nextId++).toString(36).toUpperCase().padStart(10, '0')}`;
  book.welcomeCodes.set(welcomeCode, {
    userid,
    external_userid: externalUserid,
    expiresAtMs: now + WELCOME_CODE_TTL_MS,
  });
  return welcomeCode;
}

export function addTemplate(
  book: MessageBook,
  fields: Omit<GroupWelcomeTemplate, 'template_id'>,
): GroupWelcomeTemplate {
  const template = { template_id: `msgwt${(book.nextId++).toString(36).padStart(8, '0')}SANDBOX`, ...fields };
  book.templates.set(template.template_id, template);
  return template;
}

/** Keeps only the documented fields of a part, as WeCom ignores the rest. */
export function pickPart(type: PartType, value: unknown): Part {
  const source = (value ?? {}) as Record<string, unknown>;
  const part: Part = {};
  for (const field of PART_FIELDS[type]) {
    if (typeof source[field] === 'string') part[field] = source[field] as string;
  }
  return part;
}
