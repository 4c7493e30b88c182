import { createHash } from 'node:crypto';
import { ApiError, invalidParameter } from '../api-error';
import { requireChat, requireConfigQuota } from '../domain/chats';
import { filteredOwners, type OwnerFilter } from '../domain/people';
import { mapListing } from '../listing';
import type { SandboxState } from '../state';
import { newConfigId, qrCodeUrl } from '../state/contact-ways';
import { findExternalUser, type GroupChatMember, type JoinWay, memberVersion } from '../state/group-chats';
import type { Handler, HandlerTable } from './context';

/** Without owner_filter WeCom refuses to scan a visible range larger than this. */
const MAX_UNFILTERED_VISIBLE_MEMBERS = 1_000;
const MAX_LIST_LIMIT = 1_000;
const MAX_LEGACY_OFFSET_END = 50_000;
const MAX_JOIN_WAY_REMARK = 30;

function requireJoinWay(state: SandboxState, configId: unknown): JoinWay {
  const way = typeof configId === 'string' ? state.groupChats.joinWays.get(configId) : undefined;
  if (!way) throw new ApiError(41044, 'invalid config_id');
  return way;
}

const listGroupChats: Handler<'listGroupChats'> = (context) => {
  const { state, input } = context;
  const owners = filteredOwners(state, input.owner_filter as OwnerFilter | undefined)?.map(
    (member) => member.userid,
  );
  if (!owners && state.people.members.length > MAX_UNFILTERED_VISIBLE_MEMBERS) {
    throw new ApiError(81017, 'request count exceeds limit: the visible range holds more than 1000 people');
  }
  const ownerSet = new Set(owners);
  const statusFilter = input.status_filter ?? 0;
  const chats = state.groupChats.chats.filter(
    (chat) =>
      (ownerSet.size === 0 || ownerSet.has(chat.owner)) &&
      (statusFilter === 0 || chat.status === statusFilter),
  );
  // Rows are built for the page only: a corp can hold 20,000 chats.
  const rows = mapListing(chats, (chat) => ({ chat_id: chat.chat_id, status: chat.status }));
  if (typeof input.offset === 'number' && input.cursor === undefined) {
    const limit = Math.min(input.limit as number, MAX_LIST_LIMIT);
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

const convertOpengidToChatId: Handler<'convertOpengidToChatId'> = ({ state, input }) => {
  const chat = state.groupChats.chatsByOpengid.get(input.opengid as string);
  if (!chat) throw new ApiError(90511, 'invalid opengid');
  return { chat_id: chat.chat_id };
};

/** add_join_way and update_join_way both take the whole configuration: omitted fields get defaults. */
function joinWayFrom(state: SandboxState, input: Record<string, unknown>, configId: string): JoinWay {
  if (input.scene !== 1 && input.scene !== 2) throw invalidParameter('scene must be 1 or 2');
  const chatIds = [...new Set(input.chat_id_list as string[])];
  for (const chatId of chatIds) requireChat(state, chatId);
  return {
    config_id: configId,
    scene: input.scene,
    // WeCom cuts an over-long remark instead of refusing it.
    remark: typeof input.remark === 'string' ? input.remark.slice(0, MAX_JOIN_WAY_REMARK) : '',
    auto_create_room: (input.auto_create_room as number | undefined) ?? 1,
    ...(typeof input.room_base_name === 'string' && { room_base_name: input.room_base_name }),
    ...(typeof input.room_base_id === 'number' && { room_base_id: input.room_base_id }),
    chat_id_list: chatIds,
    ...(typeof input.state === 'string' && { state: input.state }),
  };
}

const addJoinWay: Handler<'addJoinWay'> = ({ state, input }) => {
  const draft = joinWayFrom(state, input, '');
  requireConfigQuota(state);
  const way = { ...draft, config_id: newConfigId(state.groupChats, 'join_way') };
  state.groupChats.joinWays.set(way.config_id, way);
  return { config_id: way.config_id };
};

const getJoinWay: Handler<'getJoinWay'> = ({ state, input }) => {
  const way = requireJoinWay(state, input.config_id);
  return { join_way: { ...way, ...(way.scene === 2 && { qr_code: qrCodeUrl(way.config_id) }) } };
};

const updateJoinWay: Handler<'updateJoinWay'> = ({ state, input }) => {
  const way = requireJoinWay(state, input.config_id);
  state.groupChats.joinWays.set(way.config_id, joinWayFrom(state, input, way.config_id));
  return {};
};

const deleteJoinWay: Handler<'deleteJoinWay'> = ({ state, input }) => {
  state.groupChats.joinWays.delete(requireJoinWay(state, input.config_id).config_id);
  return {};
};

export const groupChatHandlers = {
  listGroupChats,
  getGroupChat,
  convertOpengidToChatId,
  addJoinWay,
  getJoinWay,
  updateJoinWay,
  deleteJoinWay,
} satisfies HandlerTable;
