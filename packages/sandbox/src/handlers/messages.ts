import { ApiError, invalidParameter } from '../api-error';
import { readAttachments, readText } from '../domain/messages';
import { requireMember } from '../domain/people';
import { mapListing } from '../listing';
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
import { DAY } from '../time';
import { type Handler, type HandlerTable, type SharedContext, seconds } from './context';

/** At most three reminders per mass message in any 24 hours (41094). */
const REMINDERS_PER_DAY = 3;
/** getGroupMsgList (v1) shows at most one attachment, and never a file. */
const V1_PARTS = ['image', 'link', 'miniprogram', 'video'] as const;

function requireMessage(state: SandboxState, msgid: unknown): GroupMsg {
  const message = typeof msgid === 'string' ? state.messages.messagesById.get(msgid) : undefined;
  if (!message) throw new ApiError(41047, 'invalid msgid');
  return message;
}

function requireDispatched(context: { now: number }, message: GroupMsg): void {
  if (context.now - message.createdAtMs < DISPATCH_MS) {
    throw new ApiError(41063, 'the mass message is being dispatched');
  }
}

/** Customers to message, grouped by the member who sends to them; unknown or unreachable ids go to failList. */
function customerAudience(
  state: SandboxState,
  input: Record<string, unknown>,
  sender: Member | undefined,
  failList: string[],
) {
  const requested = (input.external_userid as string[] | undefined) ?? [];
  if (!sender && requested.length === 0) {
    throw invalidParameter('external_userid and sender cannot both be empty');
  }
  const employed = (follow: Follow) =>
    state.people.membersById.get(follow.userid)?.dimissionTime === undefined;
  let follows: Follow[] = sender ? (state.people.followsByMember.get(sender.userid) ?? []) : [];
  if (requested.length > 0) {
    follows = [];
    for (const externalUserid of new Set(requested)) {
      const candidates = state.people.followsByCustomer.get(externalUserid) ?? [];
      const follow = candidates.find((candidate) =>
        sender ? candidate.userid === sender.userid : employed(candidate),
      );
      if (follow) follows.push(follow);
      else failList.push(externalUserid);
    }
  }
  // Each tag group must match at least one of its tags (our reading: OR inside a group, AND across groups).
  const tagGroups = (
    (input.tag_filter as { group_list?: { tag_list?: string[] }[] } | undefined)?.group_list ?? []
  )
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

function chatAudience(state: SandboxState, input: Record<string, unknown>, sender: Member | undefined) {
  if (!sender) throw invalidParameter('sender is required when chat_type is group');
  const narrowed = new Set((input.chat_id_list as string[] | undefined) ?? []);
  const chats = state.groupChats.chats.filter(
    (chat) => chat.owner === sender.userid && (narrowed.size === 0 || narrowed.has(chat.chat_id)),
  );
  return chats.length === 0
    ? new Map<string, string[]>()
    : new Map([[sender.userid, chats.map((chat) => chat.chat_id)]]);
}

const addMsgTemplate: Handler<'addMsgTemplate'> = (context) => {
  const now = seconds(context);
  const { state, input } = context;
  const text = readText(input.text, 4_000);
  const attachments = readAttachments(input.attachments);
  if (!text && attachments.length === 0) throw invalidParameter('text and attachments cannot both be empty');
  const sender = input.sender === undefined ? undefined : requireMember(state, input.sender);
  const chatType = input.chat_type === 'group' ? 'group' : 'single';
  const failList: string[] = [];
  const audience =
    chatType === 'group'
      ? chatAudience(state, input, sender)
      : customerAudience(state, input, sender, failList);
  if (audience.size === 0) throw new ApiError(41048, 'no customer can receive the message');
  const book = state.messages;
  const message = newGroupMsg(book, {
    create_time: now,
    create_type: 0,
    chat_type: chatType,
    ...(text && { text }),
    attachments,
    createdAtMs: context.now,
  });
  message.tasks = [...audience].map(([userid, ids]): SendTask => {
    const sendAt = confirmationTime(message.msgid, userid, now);
    const recipients = ids.map(
      (id): Recipient =>
        chatType === 'group'
          ? { chat_id: id, status: 0, capped: false }
          : { external_userid: id, status: 0, capped: capReached(book, id, now) },
    );
    return { userid, status: 0, ...(sendAt !== undefined && { sendAt }), recipients };
  });
  addGroupMsg(book, message);
  return { fail_list: failList, msgid: message.msgid };
};

const remindGroupMsgSend: Handler<'remindGroupMsgSend'> = (context) => {
  const now = seconds(context);
  const message = requireMessage(context.state, context.input.msgid);
  if (message.cancelled) throw new ApiError(41093, 'the mass message was cancelled');
  const recent = message.reminders.filter((time) => time > now - DAY);
  if (recent.length >= REMINDERS_PER_DAY) throw new ApiError(41094, 'reminders exceed 3 in 24 hours');
  message.reminders = [...recent, now];
  return {};
};

const cancelGroupMsgSend: Handler<'cancelGroupMsgSend'> = (context) => {
  const message = requireMessage(context.state, context.input.msgid);
  if (message.cancelled) throw new ApiError(41093, 'the mass message was cancelled');
  message.cancelled = true;
  // Members who already sent keep their results; the others never will.
  for (const task of message.tasks) if (task.status === 0) delete task.sendAt;
  context.state.messages.pending.delete(message);
  return {};
};

function listedMessages(context: SharedContext<'getGroupMsgListV2' | 'getGroupMsgList'>): GroupMsg[] {
  const { input } = context;
  const filterType = (input.filter_type as number | undefined) ?? 2;
  const matches = context.state.messages.messages
    .filter((message) => message.chat_type === input.chat_type)
    .filter(
      (message) =>
        message.create_time > (input.start_time as number) &&
        message.create_time < (input.end_time as number),
    )
    .filter((message) => filterType === 2 || message.create_type === filterType)
    .filter((message) => input.creator === undefined || message.creator === input.creator)
    .sort((a, b) => b.create_time - a.create_time || a.msgid.localeCompare(b.msgid));
  for (const message of matches) requireDispatched(context, message);
  return matches;
}

function listScope(input: Record<string, unknown>): string {
  return [
    'groupmsg',
    input.chat_type,
    input.start_time,
    input.end_time,
    input.filter_type,
    input.creator,
  ].join(':');
}

function messageHeader(message: GroupMsg) {
  return {
    msgid: message.msgid,
    ...(message.creator !== undefined && { creator: message.creator }),
    create_time: message.create_time,
    create_type: message.create_type,
    ...(message.text && { text: message.text }),
  };
}

// Both lists build rows only for the page (at most 100 messages), not for every match in the window.
const getGroupMsgListV2: Handler<'getGroupMsgListV2'> = (context) => {
  const rows = mapListing(listedMessages(context), (message) => ({
    ...messageHeader(message),
    ...(message.attachments.length > 0 && { attachments: message.attachments }),
  }));
  return context.page(rows, listScope(context.input));
};

const getGroupMsgList: Handler<'getGroupMsgList'> = (context) => {
  const rows = mapListing(listedMessages(context), (message) => {
    const first = message.attachments.find((attachment) =>
      (V1_PARTS as readonly string[]).includes(attachment.msgtype),
    );
    return { ...messageHeader(message), ...(first && { [first.msgtype]: first[first.msgtype] }) };
  });
  return context.page(rows, `v1:${listScope(context.input)}`);
};

function resultRows(message: GroupMsg, task: SendTask) {
  // Group sends have no rows until the member sends: the groups are chosen at that moment.
  const visible =
    message.chat_type === 'group' ? task.recipients.filter((row) => row.status !== 0) : task.recipients;
  return visible.map((row) => ({
    ...(row.external_userid !== undefined && { external_userid: row.external_userid }),
    ...(row.chat_id !== undefined && { chat_id: row.chat_id }),
    userid: task.userid,
    status: row.status,
    ...(row.send_time !== undefined && { send_time: row.send_time }),
  }));
}

const getGroupMsgTask: Handler<'getGroupMsgTask'> = (context) => {
  const message = requireMessage(context.state, context.input.msgid);
  requireDispatched(context, message);
  const tasks = message.tasks.map((task) => ({
    userid: task.userid,
    status: task.status,
    ...(task.send_time !== undefined && { send_time: task.send_time }),
  }));
  return context.page(tasks, `task:${message.msgid}`);
};

const getGroupMsgSendResult: Handler<'getGroupMsgSendResult'> = (context) => {
  const { state, input } = context;
  const message = requireMessage(state, input.msgid);
  const userid = requireMember(state, input.userid).userid;
  requireDispatched(context, message);
  const task = message.tasks.find((candidate) => candidate.userid === userid);
  return context.page(task ? resultRows(message, task) : [], `send:${message.msgid}:${userid}`);
};

const getGroupMsgResult: Handler<'getGroupMsgResult'> = (context) => {
  const message = requireMessage(context.state, context.input.msgid);
  requireDispatched(context, message);
  return context.page(
    message.tasks.flatMap((task) => resultRows(message, task)),
    `result:${message.msgid}`,
  );
};

export const messageHandlers = {
  addMsgTemplate,
  remindGroupMsgSend,
  cancelGroupMsgSend,
  getGroupMsgListV2,
  getGroupMsgTask,
  getGroupMsgSendResult,
  getGroupMsgList,
  getGroupMsgResult,
} satisfies HandlerTable;
