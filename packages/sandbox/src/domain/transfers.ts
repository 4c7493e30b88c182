import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import type { GroupChat } from '../state/group-chats';
import type { Member } from '../state/people';
import { hashOf } from '../state/statistics';
import { recordTransfer, TRANSFER_QUOTA, type TransferKind, transferOf } from '../state/transfers';
import { requireMember } from './people';

/*
 * Handing customers and group chats over between members (在职继承 and 离职继承): who may take
 * part, what WeCom refuses per customer or chat, and the changes a handover makes.
 */

/** About one customer in twenty refuses a transfer; which one is fixed by the ids, so runs repeat. */
const REFUSAL_RATE = 20;

export function requireEmployed(state: SandboxState, userid: unknown): Member {
  const member = requireMember(state, userid);
  if (member.dimissionTime !== undefined) {
    throw new ApiError(40003, `invalid userid ${member.userid}: the member has resigned`);
  }
  return member;
}

export function requireTakeover(state: SandboxState, userid: unknown): Member {
  const member = requireEmployed(state, userid);
  if (!member.hasCustomerContact) {
    throw new ApiError(
      40003,
      `invalid userid ${member.userid}: the member has no customer-contact permission`,
    );
  }
  return member;
}

export function requireResigned(state: SandboxState, userid: unknown): Member {
  const member = requireMember(state, userid);
  if (member.dimissionTime === undefined) throw new ApiError(40097, `${member.userid} has not resigned`);
  return member;
}

/** Whether a transfer of the customer away from `handover` has started and not been taken over yet. */
export function transferWaiting(state: SandboxState, handover: string, externalUserid: string): boolean {
  return (state.transfers.byCustomer.get(externalUserid) ?? []).some(
    (transfer) => transfer.handover_userid === handover && state.transfers.pending.has(transfer),
  );
}

/** Starts one customer's handover and answers its per-customer errcode (0: started). */
export function startTransfer(
  state: SandboxState,
  kind: TransferKind,
  handover: Member,
  takeover: Member,
  externalUserid: string,
  now: number,
): number {
  if (!state.people.customersById.has(externalUserid)) return 40096;
  if (handover.userid === takeover.userid) return 40130;
  const follows = state.people.followsByCustomer.get(externalUserid) ?? [];
  if (!follows.some((follow) => follow.userid === handover.userid)) return 40131;
  if (transferWaiting(state, handover.userid, externalUserid)) return 40129;
  const history = state.transfers.byCustomer.get(externalUserid) ?? [];
  const recent = history.filter(
    (transfer) => transfer.kind === 'onjob' && transfer.startedAt > now - TRANSFER_QUOTA.windowSeconds,
  );
  if (kind === 'onjob' && recent.length >= TRANSFER_QUOTA.count) return 40128;
  const refused = hashOf(externalUserid, takeover.userid) % REFUSAL_RATE === 0;
  recordTransfer(
    state.transfers,
    transferOf(kind, handover.userid, takeover.userid, externalUserid, now, refused),
  );
  return 0;
}

const CHAT_FAILURES = {
  40128: 'chat transferred too often: at most twice in 90 days',
  90500: 'the owner of this chat is not resigned',
  90501: 'chat is not external group chat',
  90502: 'the owner of this chat has resigned',
  90504: 'the new owner is already the owner',
  90508: 'the chat has already been transferred',
} as const;
/** The codes WeCom answers for a chat it refuses to hand over. */
export type ChatRefusal = keyof typeof CHAT_FAILURES;

/** Why this chat cannot go to `newOwner` (an errcode), or 0 when it can. */
export function chatRefusal(
  state: SandboxState,
  kind: TransferKind,
  chatId: string,
  newOwner: string,
  now: number,
): ChatRefusal | 0 {
  const chat = state.groupChats.chatsById.get(chatId);
  if (!chat) return 90501;
  if (chat.owner === newOwner) return 90504;
  const ownerResigned = state.people.membersById.get(chat.owner)?.dimissionTime !== undefined;
  if (kind === 'resigned') {
    if (ownerResigned) return 0;
    // An inherited chat has an employed owner again: it was handed over already.
    return chat.status === 3 ? 90508 : 90500;
  }
  if (ownerResigned) return 90502;
  const recent = state.transfers.onjobChatTransfers.filter(
    (transfer) => transfer.chat_id === chatId && transfer.at > now - TRANSFER_QUOTA.windowSeconds,
  );
  return recent.length >= TRANSFER_QUOTA.count ? 40128 : 0;
}

/** WeCom's per-chat errmsg for a refused chat. */
export function chatFailureText(errcode: ChatRefusal): string {
  return CHAT_FAILURES[errcode];
}

/** The chat changes owner at once; the old owner stays in it as a member. */
export function changeChatOwner(
  state: SandboxState,
  kind: TransferKind,
  chatId: string,
  newOwner: string,
  now: number,
): void {
  const chat = state.groupChats.chatsById.get(chatId) as GroupChat;
  chat.owner = newOwner;
  chat.admins = chat.admins.filter((userid) => userid !== newOwner);
  if (kind === 'resigned') chat.status = 3;
  else state.transfers.onjobChatTransfers.push({ chat_id: chatId, at: now });
  if (!chat.members.some((member) => member.userid === newOwner)) {
    chat.members.push({ userid: newOwner, type: 1, join_time: now, join_scene: 1, group_nickname: '' });
  }
}
