import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import type { GroupChat } from '../state/group-chats';
import { filteredOwners, type OwnerFilter } from './people';

/** API-created 「联系我」 and 「加入群聊」 configurations share this per-corp quota. */
const MAX_API_CONFIGS = 500_000;
/** Without owner_filter WeCom refuses to scan a visible range larger than this. */
const MAX_UNFILTERED_VISIBLE_MEMBERS = 1_000;

export function requireChat(state: SandboxState, chatId: unknown): GroupChat {
  const chat = typeof chatId === 'string' ? state.groupChats.chatsById.get(chatId) : undefined;
  if (!chat) throw new ApiError(86001, 'invalid chatid');
  return chat;
}

export function requireConfigQuota(state: SandboxState): void {
  let used = state.groupChats.joinWays.size;
  // Temporary-session configurations do not count toward the quota.
  for (const way of state.contactWays.ways.values()) if (!way.is_temp) used++;
  if (used >= MAX_API_CONFIGS) throw new ApiError(41045, 'api add contact way count reach limit');
}

export function requireChatByOpengid(state: SandboxState, opengid: string): GroupChat {
  const chat = state.groupChats.chatsByOpengid.get(opengid);
  if (!chat) throw new ApiError(90511, 'invalid opengid');
  return chat;
}

/**
 * The chats groupchat/list shows: those of the filtered owners (every owner without a filter, up
 * to WeCom's 1,000-people limit) in the given status (0: every status). `owners` lists the
 * filter's owners, undefined without a filter.
 */
export function listedChats(
  state: SandboxState,
  filter: OwnerFilter | undefined,
  status: number,
): { chats: GroupChat[]; owners: string[] | undefined } {
  const owners = filteredOwners(state, filter)?.map((member) => member.userid);
  if (!owners && state.people.members.length > MAX_UNFILTERED_VISIBLE_MEMBERS) {
    throw new ApiError(81017, 'request count exceeds limit: the visible range holds more than 1000 people');
  }
  const ownerSet = new Set(owners);
  const chats = state.groupChats.chats.filter(
    (chat) => (ownerSet.size === 0 || ownerSet.has(chat.owner)) && (status === 0 || chat.status === status),
  );
  return { chats, owners };
}
