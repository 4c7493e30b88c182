import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import type { GroupChat } from '../state/group-chats';

/** API-created 「联系我」 and 「加入群聊」 configurations share this per-corp quota. */
const MAX_API_CONFIGS = 500_000;

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
