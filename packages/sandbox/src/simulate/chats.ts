import { ApiError, invalidParameter } from '../api-error';
import { requireChat } from '../domain/chats';
import {
  createGroupChat,
  dismissGroupChat,
  findExternalUser,
  type GroupChat,
  memberVersion,
} from '../state/group-chats';
import { toSeconds } from '../time';
import { type Emit, optionalString, requireActiveFollower, type Simulation, stringField } from './input';

/** The event's JoinScene is coarser than getGroupChat's join_scene: 0 invited (directly or by link), 3 QR code. */
const JOIN_SCENES = { 1: 0, 2: 0, 3: 3 } as const;

/**
 * A customer (or any external user the sandbox knows) joins a chat. `join_scene` is getGroupChat's
 * value (1 invited, 2 invitation link, 3 QR code; 3 when omitted); invitations come from the owner.
 */
export const simulateJoinChat: Simulation = (state, input, nowMs, emit) => {
  const chat = requireChat(state, stringField(input, 'chat_id'));
  const externalUserid = stringField(input, 'external_userid');
  if (!findExternalUser(state.people, state.groupChats, externalUserid))
    throw new ApiError(40096, 'invalid external userid');
  const scene = input.join_scene ?? 3;
  if (scene !== 1 && scene !== 2 && scene !== 3) throw invalidParameter('join_scene must be 1, 2 or 3');
  if (chat.members.some((member) => member.userid === externalUserid))
    throw invalidParameter(`${externalUserid} is already in the chat`);
  changeMembers(
    chat,
    emit,
    { UpdateDetail: 'add_member', JoinScene: JOIN_SCENES[scene] },
    externalUserid,
    () =>
      chat.members.push({
        userid: externalUserid,
        type: 2,
        join_time: toSeconds(nowMs),
        join_scene: scene,
        ...(scene !== 3 && { invitor: chat.owner }),
        group_nickname: '',
      }),
  );
  return {};
};

/** A customer leaves a chat (`quit_scene` 0, the default) or is removed by the owner or an admin (1). */
export const simulateLeaveChat: Simulation = (state, input, _nowMs, emit) => {
  const chat = requireChat(state, stringField(input, 'chat_id'));
  const externalUserid = stringField(input, 'external_userid');
  const quitScene = input.quit_scene ?? 0;
  if (quitScene !== 0 && quitScene !== 1) throw invalidParameter('quit_scene must be 0 or 1');
  const index = chat.members.findIndex((member) => member.type === 2 && member.userid === externalUserid);
  if (index < 0) throw invalidParameter(`${externalUserid} is not a customer in the chat`);
  changeMembers(chat, emit, { UpdateDetail: 'del_member', QuitScene: quitScene }, externalUserid, () =>
    chat.members.splice(index, 1),
  );
  return {};
};

/** The owner creates a chat from a WeCom client; the API can only read it afterwards. */
export const simulateCreateChat: Simulation = (state, input, nowMs, emit) => {
  const owner = requireActiveFollower(state, input.owner);
  const name = optionalString(input, 'name', 40) ?? '';
  const chat = createGroupChat(state.groupChats, owner.userid, name, toSeconds(nowMs));
  emit({ Event: 'change_external_chat', ChangeType: 'create', ChatId: chat.chat_id });
  return { chat_id: chat.chat_id };
};

/** The owner dismisses the chat: getGroupChat answers 86001 from then on. */
export const simulateDismissChat: Simulation = (state, input, _nowMs, emit) => {
  const chat = requireChat(state, stringField(input, 'chat_id'));
  dismissGroupChat(state.groupChats, chat);
  emit({ Event: 'change_external_chat', ChangeType: 'dismiss', ChatId: chat.chat_id });
  return {};
};

/** Applies one member's join or leave and reports it with the member-list versions around it. */
function changeMembers(
  chat: GroupChat,
  emit: Emit,
  detail:
    | { UpdateDetail: 'add_member'; JoinScene: number }
    | { UpdateDetail: 'del_member'; QuitScene: number },
  userid: string,
  apply: () => void,
): void {
  const LastMemVer = memberVersion(chat);
  apply();
  emit({
    Event: 'change_external_chat',
    ChangeType: 'update',
    ChatId: chat.chat_id,
    ...detail,
    MemChangeCnt: 1,
    MemChangeList: [userid],
    LastMemVer,
    CurMemVer: memberVersion(chat),
  });
}
