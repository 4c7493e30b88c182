import { createHash } from 'node:crypto';
import { invalidParameter } from '../api-error';
import { listedChats, requireChat, requireChatByOpengid } from '../domain/chats';
import { createJoinWay, deleteJoinWay, requireJoinWay, updateJoinWay } from '../domain/join-ways';
import { mapListing } from '../listing';
import type { SandboxState } from '../state';
import { qrCodeUrl } from '../state/contact-ways';
import { findExternalUser, type GroupChatMember, memberVersion } from '../state/group-chats';
import type { Handler, HandlerTable } from './context';

const MAX_LIST_LIMIT = 1_000;
const MAX_LEGACY_OFFSET_END = 50_000;

const listGroupChats: Handler<'listGroupChats'> = (context) => {
  const { state, input } = context;
  const statusFilter = input.status_filter ?? 0;
  const { chats, owners } = listedChats(state, input.owner_filter, statusFilter);
  // Rows are built for the page only: a corp can hold 20,000 chats.
  const rows = mapListing(chats, (chat) => ({ chat_id: chat.chat_id, status: chat.status }));
  if (input.offset !== undefined && input.cursor === undefined) {
    const limit = Math.min(input.limit, MAX_LIST_LIMIT);
    if (input.offset + limit > MAX_LEGACY_OFFSET_END)
      throw invalidParameter('offset + limit must not exceed 50000');
    return { group_chat_list: rows.slice(input.offset, input.offset + limit) };
  }
  // A digest keeps cursors short when the filter names up to 100 owners.
  const ownersKey = createHash('md5')
    .update((owners ?? []).join(','))
    .digest('hex')
    .slice(0, 12);
  return context.page(rows, `groupchat_list:${statusFilter}:${ownersKey}`);
};

function memberView(state: SandboxState, member: GroupChatMember, withName: boolean) {
  const external =
    member.type === 2 ? findExternalUser(state.people, state.groupChats, member.userid) : undefined;
  const name = member.type === 1 ? state.people.membersById.get(member.userid)?.name : external?.name;
  return {
    userid: member.userid,
    type: member.type,
    ...(external?.unionid !== undefined && { unionid: external.unionid }),
    join_time: member.join_time,
    join_scene: member.join_scene,
    ...(member.invitor !== undefined && { invitor: { userid: member.invitor } }),
    group_nickname: member.group_nickname,
    ...(withName && name !== undefined && { name }),
    ...(member.state !== undefined && { state: member.state }),
  };
}

const getGroupChat: Handler<'getGroupChat'> = ({ state, input }) => {
  const chat = requireChat(state, input.chat_id);
  return {
    group_chat: {
      chat_id: chat.chat_id,
      name: chat.name,
      owner: chat.owner,
      create_time: chat.create_time,
      notice: chat.notice,
      member_list: chat.members.map((member) => memberView(state, member, input.need_name === 1)),
      admin_list: chat.admins.map((userid) => ({ userid })),
      member_version: memberVersion(chat),
    },
  };
};

export const groupChatHandlers = {
  listGroupChats,
  getGroupChat,
  convertOpengidToChatId: ({ state, input }) => ({
    chat_id: requireChatByOpengid(state, input.opengid).chat_id,
  }),
  addJoinWay: ({ state, input }) => ({ config_id: createJoinWay(state, input).config_id }),
  getJoinWay: ({ state, input }) => {
    const way = requireJoinWay(state, input.config_id);
    return { join_way: { ...way, ...(way.scene === 2 && { qr_code: qrCodeUrl(way.config_id) }) } };
  },
  updateJoinWay: ({ state, input }) => {
    updateJoinWay(state, requireJoinWay(state, input.config_id), input);
    return {};
  },
  deleteJoinWay: ({ state, input }) => {
    deleteJoinWay(state, requireJoinWay(state, input.config_id));
    return {};
  },
} satisfies HandlerTable;
