import type { Random } from '../random';
import { DAY } from '../time';
import { type Follow, type Member, type People, pushTo, removeFollow, removeFrom } from './people';

/** WeCom hands a transferred customer over automatically about 24 hours after the call. */
export const TAKEOVER_DELAY_SECONDS = DAY;
/** On-job transfers: each customer at most twice within 90 natural days (40128). */
export const TRANSFER_QUOTA = { count: 2, windowSeconds: 90 * DAY } as const;

/** 在职继承 (on-job) or 离职继承 (resigned) customer transfer. */
export type TransferKind = 'onjob' | 'resigned';

export interface CustomerTransfer {
  kind: TransferKind;
  handover_userid: string;
  takeover_userid: string;
  external_userid: string;
  startedAt: number;
  /** Until then the transfer is waiting (status 2) and the customer stays with the handover member. */
  takeoverAt: number;
  /** The customer's answer, decided when the transfer starts and revealed at takeoverAt (status 3). */
  refused: boolean;
}

export interface TransferBook {
  /** Every transfer ever started, oldest first. */
  transfers: CustomerTransfer[];
  byCustomer: Map<string, CustomerTransfer[]>;
  /** Transfers whose takeover has not been applied to the follow relations yet. */
  pending: Set<CustomerTransfer>;
  /** On-job owner changes of group chats, for their 90-day quota. */
  onjobChatTransfers: { chat_id: string; at: number }[];
}

/** A few months of earlier on-job transfers, consistent with who follows whom now, and some still waiting. */
export function seedTransfers(random: Random, people: People, nowSeconds: number): TransferBook {
  const book: TransferBook = {
    transfers: [],
    byCustomer: new Map(),
    pending: new Set(),
    onjobChatTransfers: [],
  };
  const employed = people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
  // A few random picks find members who do not follow the customer without scanning every member.
  const stranger = (follow: Follow, besides?: Member) => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const member = random.pick(employed);
      if (member !== besides && !isFollowing(people, member, follow.external_userid)) return member;
    }
    return undefined;
  };
  const seeded: CustomerTransfer[] = [];
  for (const follow of people.follows) {
    const roll = random.next();
    if (roll >= 0.03 || people.membersById.get(follow.userid)?.dimissionTime !== undefined) continue;
    const first = stranger(follow);
    const second = first && stranger(follow, first);
    if (!first || !second) continue;
    if (roll < 0.008) {
      // Started within the last day and still waiting (it completes while the sandbox runs), or refused earlier.
      const waiting = roll < 0.005;
      const startedAt = nowSeconds - (waiting ? random.int(60, DAY - 60) : random.int(2, 80) * DAY);
      seeded.push(
        transferOf('onjob', follow.userid, first.userid, follow.external_userid, startedAt, !waiting),
      );
      continue;
    }
    // Completed hops that ended with the current follower; some customers moved twice (quota spent).
    const chain = roll < 0.012 ? [first.userid, second.userid, follow.userid] : [first.userid, follow.userid];
    let startedAt = nowSeconds - random.int(chain.length * 10, 80) * DAY;
    for (let hop = 1; hop < chain.length; hop++) {
      seeded.push(
        transferOf(
          'onjob',
          chain[hop - 1] as string,
          chain[hop] as string,
          follow.external_userid,
          startedAt,
          false,
        ),
      );
      startedAt += random.int(2, 9) * DAY;
    }
  }
  seeded.sort((a, b) => a.startedAt - b.startedAt);
  for (const transfer of seeded) recordTransfer(book, transfer, transfer.takeoverAt > nowSeconds);
  return book;
}

export function transferOf(
  kind: TransferKind,
  handover: string,
  takeover: string,
  externalUserid: string,
  startedAt: number,
  refused: boolean,
): CustomerTransfer {
  return {
    kind,
    handover_userid: handover,
    takeover_userid: takeover,
    external_userid: externalUserid,
    startedAt,
    takeoverAt: startedAt + TAKEOVER_DELAY_SECONDS,
    refused,
  };
}

export function recordTransfer(book: TransferBook, transfer: CustomerTransfer, pending = true): void {
  book.transfers.push(transfer);
  const list = book.byCustomer.get(transfer.external_userid);
  if (list) list.push(transfer);
  else book.byCustomer.set(transfer.external_userid, [transfer]);
  if (pending) book.pending.add(transfer);
}

/** 1 taken over, 2 waiting, 3 refused; `takeover_time` is the (future) takeover, or 0 when refused. */
export function transferStatus(transfer: CustomerTransfer, nowSeconds: number) {
  if (nowSeconds < transfer.takeoverAt) return { status: 2, takeover_time: transfer.takeoverAt };
  return transfer.refused
    ? { status: 3, takeover_time: 0 }
    : { status: 1, takeover_time: transfer.takeoverAt };
}

/**
 * Applies every takeover that is due: the customer now follows the takeover member. `onSettled`
 * sees each refusal as it is revealed (WeCom's transfer_fail) and each handover relation the
 * takeover ended (WeCom's del_external_contact with Source DELETE_BY_TRANSFER).
 */
export function settleTransfers(
  book: TransferBook,
  people: People,
  nowSeconds: number,
  onSettled?: (transfer: CustomerTransfer) => void,
): void {
  for (const transfer of book.pending) {
    if (transfer.takeoverAt > nowSeconds) continue;
    book.pending.delete(transfer);
    if (transfer.refused || moveFollow(people, transfer)) onSettled?.(transfer);
  }
}

/** False when the handover member no longer had the customer, so nothing moved. */
function moveFollow(people: People, transfer: CustomerTransfer): boolean {
  const follows = people.followsByCustomer.get(transfer.external_userid) ?? [];
  const follow = follows.find((candidate) => candidate.userid === transfer.handover_userid);
  if (!follow) return false;
  if (follows.some((candidate) => candidate.userid === transfer.takeover_userid)) {
    // The takeover member already had this customer: the handover relation simply ends.
    removeFollow(people, follow);
    return true;
  }
  removeFrom(people.followsByMember.get(follow.userid), follow);
  follow.userid = transfer.takeover_userid;
  follow.createtime = transfer.takeoverAt;
  pushTo(people.followsByMember, follow.userid, follow);
  return true;
}

function isFollowing(people: People, member: Member, externalUserid: string): boolean {
  return (people.followsByCustomer.get(externalUserid) ?? []).some(
    (follow) => follow.userid === member.userid,
  );
}
