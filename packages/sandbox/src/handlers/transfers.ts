import { ApiError } from '../api-error';
import { requireCustomer, requireMember } from '../domain/people';
import {
  changeChatOwner,
  chatFailureText,
  chatRefusal,
  requireEmployed,
  requireResigned,
  requireTakeover,
  startTransfer,
  transferWaiting,
} from '../domain/transfers';
import { mapListing } from '../listing';
import { type TransferKind, transferStatus } from '../state/transfers';
import { type Handler, type HandlerContext, type HandlerTable, type SharedContext, seconds } from './context';

/** get_unassigned_list's page-number mode only reaches rows below this index. */
const PAGE_MODE_ROW_LIMIT = 50_000;
const MAX_PAGE_SIZE = 1_000;

function transferMany(
  context: SharedContext<'transferCustomer' | 'transferResignedCustomer'>,
  kind: TransferKind,
) {
  const now = seconds(context);
  const { state, input } = context;
  const handover =
    kind === 'resigned'
      ? requireResigned(state, input.handover_userid)
      : requireEmployed(state, input.handover_userid);
  const takeover = requireTakeover(state, input.takeover_userid);
  return {
    customer: input.external_userid.map((externalUserid) => ({
      external_userid: externalUserid,
      errcode: startTransfer(state, kind, handover, takeover, externalUserid, now),
    })),
  };
}

function transferResults(
  context: HandlerContext<'getTransferResult'> | HandlerContext<'getResignedTransferResult'>,
  kind: TransferKind,
) {
  const now = seconds(context);
  const { state, input } = context;
  const handover = requireMember(state, input.handover_userid).userid;
  const takeover = requireMember(state, input.takeover_userid).userid;
  // A customer moved between the same pair more than once is reported by its latest transfer.
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
  return context.page([...latest.values()], `${kind}:${handover}:${takeover}`);
}

const getUnassignedList: Handler<'getUnassignedList'> = (context) => {
  const { state, input } = context;
  // Customers whose transfer is waiting are assigned already; the check reads the customer's own
  // few transfers instead of keying every pending transfer of the corp on each call.
  const unassigned = state.people.members
    .filter((member) => member.dimissionTime !== undefined)
    .flatMap((member) =>
      (state.people.followsByMember.get(member.userid) ?? []).filter(
        (follow) => !transferWaiting(state, member.userid, follow.external_userid),
      ),
    );
  // Rows are built for the page only: resigned members can leave thousands of customers behind.
  const rows = mapListing(unassigned, (follow) => ({
    handover_userid: follow.userid,
    external_userid: follow.external_userid,
    dimission_time: state.people.membersById.get(follow.userid)?.dimissionTime as number,
  }));
  if (input.cursor === undefined && input.page_id !== undefined) {
    // Page-number mode: no next_cursor at all, and only the first 50,000 rows are reachable.
    const pageSize = Math.min(input.page_size ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const start = input.page_id * pageSize;
    if (start >= PAGE_MODE_ROW_LIMIT) {
      throw new ApiError(40058, 'invalid parameter: page_id * page_size must stay below 50000');
    }
    return { info: rows.slice(start, start + pageSize), is_last: start + pageSize >= rows.length };
  }
  const page = context.page(rows, 'unassigned');
  return { ...page, is_last: page.next_cursor === '' };
};

const transferCustomerLegacy: Handler<'transferCustomerLegacy'> = (context) => {
  const now = seconds(context);
  const { state, input } = context;
  const handover = requireMember(state, input.handover_userid);
  const takeover = requireTakeover(state, input.takeover_userid);
  const kind = handover.dimissionTime === undefined ? 'onjob' : 'resigned';
  const errcode = startTransfer(state, kind, handover, takeover, input.external_userid, now);
  if (errcode !== 0) {
    throw new ApiError(errcode, `customer ${String(input.external_userid)} cannot be transferred`);
  }
  return {};
};

/** The latest handover of one customer between the pair, of either kind; status 5 when there is none. */
const getTransferResultLegacy: Handler<'getTransferResultLegacy'> = (context) => {
  const { state, input } = context;
  const handover = requireMember(state, input.handover_userid).userid;
  const takeover = requireMember(state, input.takeover_userid).userid;
  const externalUserid = requireCustomer(state, input.external_userid).external_userid;
  const latest = (state.transfers.byCustomer.get(externalUserid) ?? []).findLast(
    (transfer) => transfer.handover_userid === handover && transfer.takeover_userid === takeover,
  );
  return latest ? transferStatus(latest, seconds(context)) : { status: 5, takeover_time: 0 };
};

/** Group chats change owner at once; the old owner stays in the chat as a member. */
function transferChats(
  context: SharedContext<'transferGroupChat' | 'transferResignedGroupChat'>,
  kind: TransferKind,
) {
  const now = seconds(context);
  const { state, input } = context;
  const newOwner = requireTakeover(state, input.new_owner).userid;
  const failed = [];
  for (const chatId of input.chat_id_list) {
    const errcode = chatRefusal(state, kind, chatId, newOwner, now);
    if (errcode !== 0) {
      failed.push({ chat_id: chatId, errcode, errmsg: chatFailureText(errcode) });
      continue;
    }
    changeChatOwner(state, kind, chatId, newOwner, now);
    context.emit({
      Event: 'change_external_chat',
      ChangeType: 'update',
      ChatId: chatId,
      UpdateDetail: 'change_owner',
    });
  }
  return { failed_chat_list: failed };
}

export const transferHandlers = {
  transferCustomer: (context) => transferMany(context, 'onjob'),
  getTransferResult: (context) => transferResults(context, 'onjob'),
  getUnassignedList,
  transferResignedCustomer: (context) => transferMany(context, 'resigned'),
  getResignedTransferResult: (context) => transferResults(context, 'resigned'),
  transferCustomerLegacy,
  getTransferResultLegacy,
  transferResignedGroupChat: (context) => transferChats(context, 'resigned'),
  transferGroupChat: (context) => transferChats(context, 'onjob'),
} satisfies HandlerTable;
