import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import {
  addGroupMsg,
  capReached,
  confirmationTime,
  DISPATCH_MS,
  type GroupMsg,
  newGroupMsg,
  type Recipient,
  type SendTask,
} from '../state/messages';
import type { Follow, Member } from '../state/people';
import { DAY, toSeconds } from '../time';
import { type MessageParts, readMessage } from './messages';
import { followersOf, followsOf, requireMember } from './people';

/*
 * 群发 mass messages: who receives one, the tasks it gives members, reminders and cancelling,
 * and which messages a list shows.
 */

/** At most three reminders per mass message in any 24 hours (41094). */
const REMINDERS_PER_DAY = 3;

/** What add_msg_template takes besides the message itself: who sends it to whom. */
export interface MessageAudience {
  readonly chat_type?: 'single' | 'group';
  readonly sender?: string;
  readonly external_userid?: readonly string[];
  readonly chat_id_list?: readonly string[];
  readonly tag_filter?: { readonly group_list?: readonly { readonly tag_list?: readonly string[] }[] };
}

/** Which messages get_groupmsg_list(_v2) shows: a chat type, a time window, a kind (2: every kind) and a creator. */
export interface MessageFilter {
  readonly chat_type?: string;
  readonly start_time: number;
  readonly end_time: number;
  readonly filter_type?: number;
  readonly creator?: string;
}

export function requireMessage(state: SandboxState, msgid: unknown): GroupMsg {
  const message = typeof msgid === 'string' ? state.messages.messagesById.get(msgid) : undefined;
  if (!message) throw new ApiError(41047, 'invalid msgid');
  return message;
}

/** Reads of a message's tasks and results answer 41063 while it is still being dispatched. */
export function requireDispatched(message: GroupMsg, now: number): GroupMsg {
  if (now - message.createdAtMs < DISPATCH_MS) {
    throw new ApiError(41063, 'the mass message is being dispatched');
  }
  return message;
}

/** Customers to message, grouped by the member who sends to them; unknown or unreachable ids go to failList. */
function customerAudience(
  state: SandboxState,
  input: MessageAudience,
  sender: Member | undefined,
  failList: string[],
) {
  const requested = input.external_userid ?? [];
  if (!sender && requested.length === 0) {
    throw invalidParameter('external_userid and sender cannot both be empty');
  }
  const employed = (follow: Follow) =>
    state.people.membersById.get(follow.userid)?.dimissionTime === undefined;
  let follows: Follow[] = sender ? followsOf(state, sender.userid) : [];
  if (requested.length > 0) {
    follows = [];
    for (const externalUserid of new Set(requested)) {
      const candidates = followersOf(state, externalUserid);
      const follow = candidates.find((candidate) =>
        sender ? candidate.userid === sender.userid : employed(candidate),
      );
      if (follow) follows.push(follow);
      else failList.push(externalUserid);
    }
  }
  // Each tag group must match at least one of its tags (our reading: OR inside a group, AND across groups).
  const tagGroups = (input.tag_filter?.group_list ?? [])
    .map((group) => group.tag_list ?? [])
    .filter((tags) => tags.length > 0);
  const audience = new Map<string, string[]>();
  for (const follow of follows) {
    if (!tagGroups.every((tags) => tags.some((tagId) => follow.tagIds.includes(tagId)))) continue;
    const customers = audience.get(follow.userid);
    if (customers) customers.push(follow.external_userid);
    else audience.set(follow.userid, [follow.external_userid]);
  }
  return audience;
}

function chatAudience(state: SandboxState, input: MessageAudience, sender: Member | undefined) {
  if (!sender) throw invalidParameter('sender is required when chat_type is group');
  const narrowed = new Set(input.chat_id_list ?? []);
  const chats = state.groupChats.chats.filter(
    (chat) => chat.owner === sender.userid && (narrowed.size === 0 || narrowed.has(chat.chat_id)),
  );
  return chats.length === 0
    ? new Map<string, string[]>()
    : new Map([[sender.userid, chats.map((chat) => chat.chat_id)]]);
}

/**
 * Creates a mass message and a task for each member who sends it; `now` in ms. Returns the
 * message and the customers it cannot reach.
 */
export function createGroupMsg(
  state: SandboxState,
  input: MessageAudience & MessageParts,
  now: number,
): { message: GroupMsg; failList: string[] } {
  const { text, attachments } = readMessage(input, 4_000);
  const sender = input.sender === undefined ? undefined : requireMember(state, input.sender);
  const chatType = input.chat_type === 'group' ? 'group' : 'single';
  const failList: string[] = [];
  const audience =
    chatType === 'group'
      ? chatAudience(state, input, sender)
      : customerAudience(state, input, sender, failList);
  if (audience.size === 0) throw new ApiError(41048, 'no customer can receive the message');
  const book = state.messages;
  const createTime = toSeconds(now);
  const message = newGroupMsg(book, {
    create_time: createTime,
    create_type: 0,
    chat_type: chatType,
    ...(text && { text }),
    attachments,
    createdAtMs: now,
  });
  message.tasks = [...audience].map(([userid, ids]): SendTask => {
    const sendAt = confirmationTime(message.msgid, userid, createTime);
    const recipients = ids.map(
      (id): Recipient =>
        chatType === 'group'
          ? { chat_id: id, status: 0, capped: false }
          : { external_userid: id, status: 0, capped: capReached(book, id, createTime) },
    );
    return { userid, status: 0, ...(sendAt !== undefined && { sendAt }), recipients };
  });
  addGroupMsg(book, message);
  return { message, failList };
}

/** Records a reminder at `now` (seconds): at most three in any 24 hours, none once cancelled. */
export function remindGroupMsg(message: GroupMsg, now: number): void {
  if (message.cancelled) throw new ApiError(41093, 'the mass message was cancelled');
  const recent = message.reminders.filter((time) => time > now - DAY);
  if (recent.length >= REMINDERS_PER_DAY) throw new ApiError(41094, 'reminders exceed 3 in 24 hours');
  message.reminders = [...recent, now];
}

/** Members who already sent keep their results; the others never will. */
export function cancelGroupMsg(state: SandboxState, message: GroupMsg): void {
  if (message.cancelled) throw new ApiError(41093, 'the mass message was cancelled');
  message.cancelled = true;
  for (const task of message.tasks) if (task.status === 0) delete task.sendAt;
  state.messages.pending.delete(message);
}

/** The messages the filter matches, newest first; `now` in ms (all of them must be dispatched). */
export function filteredMessages(state: SandboxState, filter: MessageFilter, now: number): GroupMsg[] {
  const kind = filter.filter_type ?? 2;
  const matches = state.messages.messages
    .filter((message) => message.chat_type === filter.chat_type)
    .filter((message) => message.create_time > filter.start_time && message.create_time < filter.end_time)
    .filter((message) => kind === 2 || message.create_type === kind)
    .filter((message) => filter.creator === undefined || message.creator === filter.creator)
    .sort((a, b) => b.create_time - a.create_time || a.msgid.localeCompare(b.msgid));
  for (const message of matches) requireDispatched(message, now);
  return matches;
}
