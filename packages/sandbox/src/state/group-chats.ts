import { createHash } from 'node:crypto';
import type { Random } from '../random';
import { DAY } from '../time';
import { newConfigId } from './contact-ways';
import type { Customer, Member, People } from './people';

export interface GroupChatMember {
  /** A member's userid (type 1) or a customer's external_userid (type 2). */
  userid: string;
  type: 1 | 2;
  join_time: number;
  /** 1 invited directly, 2 through an invitation link, 3 by scanning the group QR code. */
  join_scene: 1 | 2 | 3;
  invitor?: string;
  group_nickname: string;
  /** The state of the join way the member came through. */
  state?: string;
}

export interface GroupChat {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  members: GroupChatMember[];
  admins: string[];
  /** 0 owner active; for a resigned owner 1 awaiting inheritance, 2 in progress, 3 inherited. */
  status: 0 | 1 | 2 | 3;
  /** What a mini-program opened inside the group sees (opengid_to_chatid). */
  opengid: string;
}

/** An external group member who is nobody's contact: only group-chat APIs know them. */
export interface GroupGuest {
  external_userid: string;
  name: string;
  unionid?: string;
  /** The chat the corp met them in, and when they joined it (contact_list lists them by it). */
  metIn: { chat_id: string; join_time: number };
}

/** One 「加入群聊」 configuration. */
export interface JoinWay {
  config_id: string;
  scene: number;
  remark: string;
  auto_create_room: number;
  room_base_name?: string;
  room_base_id?: number;
  chat_id_list: string[];
  state?: string;
}

export interface GroupChatBook {
  chats: GroupChat[];
  chatsById: Map<string, GroupChat>;
  chatsByOpengid: Map<string, GroupChat>;
  guests: Map<string, GroupGuest>;
  joinWays: Map<string, JoinWay>;
  nextId: number;
}

const TOPICS = ['VIP客户', '产品交流', '售后服务', '新品体验', '会员福利', '门店活动', '技术支持'];
const NOTICES = ['文明沟通，拒绝广告', '群内答疑时间：工作日 9:00-18:00', '活动详情请看群公告', ''];
const NICKNAMES = ['客服小张', '老王', '顾问', '店长', '小李'];
const GUEST_NAMES = ['路人甲', '朋友推荐', '周先生', '林女士', '访客'];
const JOIN_STATES = ['qr_store', 'qr_expo', 'mini_program'];

/** Dozens of customer groups per 1000 customers, owned by members, filled with their customers. */
export function seedGroupChats(
  random: Random,
  people: People,
  scale: number,
  nowSeconds: number,
): GroupChatBook {
  const book: GroupChatBook = {
    chats: [],
    chatsById: new Map(),
    chatsByOpengid: new Map(),
    guests: new Map(),
    joinWays: new Map(),
    nextId: 1,
  };
  const owners = people.members.filter((member) => member.hasCustomerContact);
  const count = Math.max(10, Math.min(20_000, Math.round(scale / 25)));
  const creationTimes = Array.from({ length: count }, () => nowSeconds - random.int(DAY, 720 * DAY)).sort(
    (a, b) => a - b,
  );
  for (const [index, createTime] of creationTimes.entries()) {
    const owner = random.pick(owners);
    const chatId = chatIdAt(index);
    const chat: GroupChat = {
      chat_id: chatId,
      name: `${random.pick(TOPICS)}${index + 1}群`,
      owner: owner.userid,
      create_time: createTime,
      notice: random.pick(NOTICES),
      members: [],
      admins: [],
      status: owner.dimissionTime !== undefined ? 1 : random.chance(0.03) ? 3 : 0,
      opengid: `tG${digest(`opengid:${chatId}`).slice(0, 26)}`,
    };
    fillMembers(random, people, book, chat, owners, nowSeconds);
    addGroupChat(book, chat);
  }
  seedJoinWays(random, book, Math.max(5, Math.round(count / 4)));
  return book;
}

function fillMembers(
  random: Random,
  people: People,
  book: GroupChatBook,
  chat: GroupChat,
  staff: Member[],
  nowSeconds: number,
): void {
  const joinTime = () => chat.create_time + random.int(0, nowSeconds - chat.create_time);
  const nickname = () => (random.chance(0.3) ? random.pick(NICKNAMES) : '');
  // Picks rather than sample(): sample copies the whole staff list, which is slow at scale.
  const colleagues = Array.from({ length: random.int(0, 3) }, () => random.pick(staff).userid);
  const internal = [...new Set([chat.owner, ...colleagues])];
  chat.members.push({
    userid: chat.owner,
    type: 1,
    join_time: chat.create_time,
    join_scene: 1,
    group_nickname: nickname(),
  });
  for (const userid of internal.slice(1)) {
    chat.members.push({
      userid,
      type: 1,
      join_time: joinTime(),
      join_scene: 1,
      invitor: chat.owner,
      group_nickname: nickname(),
    });
  }
  chat.admins = random.sample(internal.slice(1), random.int(0, Math.min(2, internal.length - 1)));
  const contacts = internal.flatMap((userid) => people.followsByMember.get(userid) ?? []);
  const customers = new Set(
    random.sample(contacts, random.int(2, 40)).map((follow) => follow.external_userid),
  );
  const guests = random.chance(0.3)
    ? Array.from({ length: random.int(1, 3) }, () => newGuest(random, book, chat))
    : [];
  for (const external_userid of [...customers, ...guests.map((guest) => guest.external_userid)]) {
    const scene = random.pick([1, 1, 2, 3] as const);
    const member: GroupChatMember = {
      userid: external_userid,
      type: 2,
      join_time: joinTime(),
      join_scene: scene,
      ...(scene !== 3 && { invitor: random.pick(internal) }),
      group_nickname: nickname(),
    };
    chat.members.push(member);
    const guest = book.guests.get(external_userid);
    if (guest) guest.metIn.join_time = member.join_time;
  }
  chat.members.sort((a, b) => a.join_time - b.join_time);
}

function newGuest(random: Random, book: GroupChatBook, chat: GroupChat): GroupGuest {
  const id = book.guests.size.toString(36).padStart(7, '0');
  const wechat = random.chance(0.8);
  const guest: GroupGuest = {
    // The capital G keeps guests apart from seeded customers, whose ids use lower-case base 36.
    external_userid: `${wechat ? 'wm' : 'wo'}G${id}SANDBOX`,
    name: random.pick(GUEST_NAMES),
    ...(wechat && random.chance(0.5) && { unionid: `oSandboxG${id}` }),
    metIn: { chat_id: chat.chat_id, join_time: chat.create_time },
  };
  book.guests.set(guest.external_userid, guest);
  return guest;
}

/** Join ways over a few chats each; customers who scanned their QR codes carry the way's state. */
function seedJoinWays(random: Random, book: GroupChatBook, count: number): void {
  for (let index = 0; index < count; index++) {
    const chats = [...new Set(Array.from({ length: random.int(1, 5) }, () => random.pick(book.chats)))];
    const autoCreate = random.chance(0.7) ? 1 : 0;
    const way: JoinWay = {
      config_id: newConfigId(book, 'join_way'),
      scene: random.chance(0.8) ? 2 : 1,
      remark: `${chats[0]?.name ?? ''}入群码`.slice(0, 30),
      auto_create_room: autoCreate,
      ...(autoCreate === 1 && {
        room_base_name: chats[0]?.name.replace(/\d+群$/, '') ?? '客户群',
        room_base_id: random.int(1, 20),
      }),
      chat_id_list: chats.map((chat) => chat.chat_id),
      ...(random.chance(0.7) && { state: random.pick(JOIN_STATES) }),
    };
    book.joinWays.set(way.config_id, way);
    if (way.state === undefined) continue;
    for (const chat of chats) {
      for (const member of chat.members)
        if (member.join_scene === 3 && random.chance(0.5)) member.state = way.state;
    }
  }
}

function addGroupChat(book: GroupChatBook, chat: GroupChat): void {
  book.chats.push(chat);
  book.chatsById.set(chat.chat_id, chat);
  book.chatsByOpengid.set(chat.opengid, chat);
}

/** A chat a member has just created: only the owner in it, ids continuing the seeded scheme. */
export function createGroupChat(
  book: GroupChatBook,
  owner: string,
  name: string,
  nowSeconds: number,
): GroupChat {
  let index = book.chats.length;
  // Dismissed chats leave gaps in the list, so a count alone could hand out a live chat's id.
  while (book.chatsById.has(chatIdAt(index))) index++;
  const chatId = chatIdAt(index);
  const chat: GroupChat = {
    chat_id: chatId,
    name,
    owner,
    create_time: nowSeconds,
    notice: '',
    members: [{ userid: owner, type: 1, join_time: nowSeconds, join_scene: 1, group_nickname: '' }],
    admins: [],
    status: 0,
    opengid: `tG${digest(`opengid:${chatId}`).slice(0, 26)}`,
  };
  addGroupChat(book, chat);
  return chat;
}

/** A dismissed chat is gone from every read, join ways included. */
export function dismissGroupChat(book: GroupChatBook, chat: GroupChat): void {
  book.chats.splice(book.chats.indexOf(chat), 1);
  book.chatsById.delete(chat.chat_id);
  book.chatsByOpengid.delete(chat.opengid);
  for (const way of book.joinWays.values())
    way.chat_id_list = way.chat_id_list.filter((chatId) => chatId !== chat.chat_id);
}

function chatIdAt(index: number): string {
  return `wr${digest(`chat:${index}`).slice(0, 28)}`;
}

/** Derived from the member list, so any change to who is in the group gives a new version. */
export function memberVersion(chat: GroupChat): string {
  const list = chat.members.map((member) => `${member.userid}:${member.join_time}`).join(',');
  return createHash('md5').update(list).digest('hex');
}

/** A customer or a group guest: everyone who can be an external group member. */
export function findExternalUser(
  people: People,
  book: GroupChatBook,
  externalUserid: string,
): Customer | GroupGuest | undefined {
  return people.customersById.get(externalUserid) ?? book.guests.get(externalUserid);
}

/** Long enough for WeCom-sized ids (chat ids are `wr` + 28 characters). */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
