import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import type { GroupChat } from '../state/group-chats';
import type { Follow, Member } from '../state/people';
import { hashOf } from '../state/statistics';
import {
  recordTransfer,
  TRANSFER_QUOTA,
  type TransferKind,
  transferOf,
  transferStatus,
} from '../state/transfers';
import { followersOf, followsOf, requireMember } from './people';

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

/** A member who left, and when. */
export type ResignedMember = Member & { dimissionTime: number };

function hasResigned(member: Member): member is ResignedMember {
  return member.dimissionTime !== undefined;
}

export function requireResigned(state: SandboxState, userid: unknown): ResignedMember {
  const member = requireMember(state, userid);
  if (!hasResigned(member)) throw new ApiError(40097, `${member.userid} has not resigned`);
  return member;
}

/**
 * The customers of resigned members that wait for a new member: those whose transfer is waiting
 * are assigned already. The check reads each customer's own few transfers instead of keying
 * every pending transfer of the corp on each call.
 */
export function unassignedFollows(state: SandboxState): Follow[] {
  return state.people.members
    .filter(hasResigned)
    .flatMap((member) =>
      followsOf(state, member.userid).filter(
        (follow) => !transferWaiting(state, member.userid, follow.external_userid),
      ),
    );
}

/** Who takes part in a batch of transfers: the handover member (resigned or employed, by kind) and the takeover. */
export function transferParties(
  state: SandboxState,
  kind: TransferKind,
  handoverUserid: string,
  takeoverUserid: string,
): { handover: Member; takeover: Member } {
  const handover =
    kind === 'resigned' ? requireResigned(state, handoverUserid) : requireEmployed(state, handoverUserid);
  return { handover, takeover: requireTakeover(state, takeoverUserid) };
}

/** The status of each customer moved from `handover` to `takeover`: a customer moved more than once by its latest transfer. */
export function transferResults(
  state: SandboxState,
  kind: TransferKind,
  handover: string,
  takeover: string,
  now: number,
): { external_userid: string; status: number; takeover_time: number }[] {
  const latest = new Map<string, { external_userid: string; status: number; takeover_time: number }>();
  const between = state.transfers.transfers.filter(
    (transfer) =>
      transfer.kind === kind &&
      transfer.handover_userid === handover &&
      transfer.takeover_userid === takeover,
  );
  for (const transfer of between) {
    latest.delete(transfer.external_userid);
    latest.set(transfer.external_userid, {
      external_userid: transfer.external_userid,
      ...transferStatus(transfer, now),
    });
  }
  return [...latest.values()];
}

/** The latest handover of one customer between the pair, of either kind; status 5 when there is none. */
export function latestTransferStatus(
  state: SandboxState,
  handover: string,
  takeover: string,
  externalUserid: string,
  now: number,
): { status: number; takeover_time: number } {
  const latest = (state.transfers.byCustomer.get(externalUserid) ?? []).findLast(
    (transfer) => transfer.handover_userid === handover && transfer.takeover_userid === takeover,
  );
  return latest ? transferStatus(latest, now) : { status: 5, takeover_time: 0 };
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
  const follows = followersOf(state, externalUserid);
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
type ChatRefusal = keyof typeof CHAT_FAILURES;

/** Why this chat cannot go to `newOwner` (an errcode), or 0 when it can. */
function chatRefusal(
  state: SandboxState,
  kind: TransferKind,
  chat: GroupChat,
  newOwner: string,
  now: number,
): ChatRefusal | 0 {
  if (chat.owner === newOwner) return 90504;
  const ownerResigned = state.people.membersById.get(chat.owner)?.dimissionTime !== undefined;
  if (kind === 'resigned') {
    if (ownerResigned) return 0;
    // An inherited chat has an employed owner again: it was handed over already.
    return chat.status === 3 ? 90508 : 90500;
  }
  if (ownerResigned) return 90502;
  const recent = state.transfers.onjobChatTransfers.filter(
    (transfer) => transfer.chat_id === chat.chat_id && transfer.at > now - TRANSFER_QUOTA.windowSeconds,
  );
  return recent.length >= TRANSFER_QUOTA.count ? 40128 : 0;
}

/** The chat changes owner at once; the old owner stays in it as a member. */
function changeChatOwner(
  state: SandboxState,
  kind: TransferKind,
  chat: GroupChat,
  newOwner: string,
  now: number,
): void {
  chat.owner = newOwner;
  chat.admins = chat.admins.filter((userid) => userid !== newOwner);
  if (kind === 'resigned') chat.status = 3;
  else state.transfers.onjobChatTransfers.push({ chat_id: chat.chat_id, at: now });
  if (!chat.members.some((member) => member.userid === newOwner)) {
    chat.members.push({ userid: newOwner, type: 1, join_time: now, join_scene: 1, group_nickname: '' });
  }
}

/**
 * Hands the chats over to `newOwner` and answers those WeCom refuses, each with its errcode;
 * `onChanged` sees each chat that changed owner.
 */
export function transferChats(
  state: SandboxState,
  kind: TransferKind,
  chatIds: readonly string[],
  newOwner: string,
  now: number,
  onChanged: (chat: GroupChat) => void,
): { chat_id: string; errcode: ChatRefusal; errmsg: string }[] {
  const failed = [];
  const refused = (chat_id: string, errcode: ChatRefusal) => ({
    chat_id,
    errcode,
    errmsg: CHAT_FAILURES[errcode],
  });
  for (const chatId of chatIds) {
    const chat = state.groupChats.chatsById.get(chatId);
    if (!chat) {
      failed.push(refused(chatId, 90501));
      continue;
    }
    const errcode = chatRefusal(state, kind, chat, newOwner, now);
    if (errcode !== 0) {
      failed.push(refused(chatId, errcode));
      continue;
    }
    changeChatOwner(state, kind, chat, newOwner, now);
    onChanged(chat);
  }
  return failed;
}
