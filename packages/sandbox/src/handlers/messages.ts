import {
  cancelGroupMsg,
  createGroupMsg,
  filteredMessages,
  type MessageFilter,
  remindGroupMsg,
  requireDispatched,
  requireMessage,
} from '../domain/group-messages';
import { requireMember } from '../domain/people';
import { mapListing } from '../listing';
import type { GroupMsg, SendTask } from '../state/messages';
import { type Handler, type HandlerTable, seconds } from './context';

/** getGroupMsgList (v1) shows at most one attachment, and never a file. */
const V1_PARTS: ReadonlySet<string> = new Set(['image', 'link', 'miniprogram', 'video']);

function listScope(filter: MessageFilter): string {
  return [
    'groupmsg',
    filter.chat_type,
    filter.start_time,
    filter.end_time,
    filter.filter_type,
    filter.creator,
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

const addMsgTemplate: Handler<'addMsgTemplate'> = ({ state, input, now }) => {
  const { message, failList } = createGroupMsg(state, input, now);
  return { fail_list: failList, msgid: message.msgid };
};

// Both lists build rows only for the page (at most 100 messages), not for every match in the window.
const getGroupMsgListV2: Handler<'getGroupMsgListV2'> = (context) => {
  const { state, input, now } = context;
  const rows = mapListing(filteredMessages(state, input, now), (message) => ({
    ...messageHeader(message),
    ...(message.attachments.length > 0 && { attachments: message.attachments }),
  }));
  return context.page(rows, listScope(input));
};

const getGroupMsgList: Handler<'getGroupMsgList'> = (context) => {
  const { state, input, now } = context;
  const rows = mapListing(filteredMessages(state, input, now), (message) => {
    const first = message.attachments.find((attachment) => V1_PARTS.has(attachment.msgtype));
    return { ...messageHeader(message), ...(first && { [first.msgtype]: first[first.msgtype] }) };
  });
  return context.page(rows, `v1:${listScope(input)}`);
};

const getGroupMsgTask: Handler<'getGroupMsgTask'> = (context) => {
  const message = requireDispatched(requireMessage(context.state, context.input.msgid), context.now);
  const tasks = message.tasks.map((task) => ({
    userid: task.userid,
    status: task.status,
    ...(task.send_time !== undefined && { send_time: task.send_time }),
  }));
  return context.page(tasks, `task:${message.msgid}`);
};

const getGroupMsgSendResult: Handler<'getGroupMsgSendResult'> = (context) => {
  const { state, input, now } = context;
  const message = requireMessage(state, input.msgid);
  const userid = requireMember(state, input.userid).userid;
  requireDispatched(message, now);
  const task = message.tasks.find((candidate) => candidate.userid === userid);
  return context.page(task ? resultRows(message, task) : [], `send:${message.msgid}:${userid}`);
};

const getGroupMsgResult: Handler<'getGroupMsgResult'> = (context) => {
  const message = requireDispatched(requireMessage(context.state, context.input.msgid), context.now);
  return context.page(
    message.tasks.flatMap((task) => resultRows(message, task)),
    `result:${message.msgid}`,
  );
};

export const messageHandlers = {
  addMsgTemplate,
  remindGroupMsgSend: (context) => {
    remindGroupMsg(requireMessage(context.state, context.input.msgid), seconds(context));
    return {};
  },
  cancelGroupMsgSend: ({ state, input }) => {
    cancelGroupMsg(state, requireMessage(state, input.msgid));
    return {};
  },
  getGroupMsgListV2,
  getGroupMsgTask,
  getGroupMsgSendResult,
  getGroupMsgList,
  getGroupMsgResult,
} satisfies HandlerTable;
