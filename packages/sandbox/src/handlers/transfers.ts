import { ApiError } from '../api-error';
import { requireCustomer, requireMember } from '../domain/people';
import {
  latestTransferStatus,
  requireResigned,
  requireTakeover,
  startTransfer,
  transferChats,
  transferParties,
  transferResults,
  unassignedFollows,
} from '../domain/transfers';
import { mapListing } from '../listing';
import type { TransferKind } from '../state/transfers';
import { type Handler, type HandlerContext, type HandlerTable, type SharedContext, seconds } from './context';

/** get_unassigned_list's page-number mode only reaches rows below this index. */
const PAGE_MODE_ROW_LIMIT = 50_000;
const MAX_PAGE_SIZE = 1_000;

function transferCustomers(
  context: SharedContext<'transferCustomer' | 'transferResignedCustomer'>,
  kind: TransferKind,
) {
  const { state, input } = context;
  const { handover, takeover } = transferParties(state, kind, input.handover_userid, input.takeover_userid);
  return {
    customer: input.external_userid.map((externalUserid) => ({
      external_userid: externalUserid,
      errcode: startTransfer(state, kind, handover, takeover, externalUserid, seconds(context)),
    })),
  };
}

function customerResults(
  context: HandlerContext<'getTransferResult'> | HandlerContext<'getResignedTransferResult'>,
  kind: TransferKind,
) {
  const { state, input } = context;
  const handover = requireMember(state, input.handover_userid).userid;
  const takeover = requireMember(state, input.takeover_userid).userid;
  const results = transferResults(state, kind, handover, takeover, seconds(context));
  return context.page(results, `${kind}:${handover}:${takeover}`);
}

function chatHandovers(
  context: SharedContext<'transferGroupChat' | 'transferResignedGroupChat'>,
  kind: TransferKind,
) {
  const { state, input } = context;
  const newOwner = requireTakeover(state, input.new_owner).userid;
  const failed = transferChats(state, kind, input.chat_id_list, newOwner, seconds(context), (chat) =>
    context.emit({
      Event: 'change_external_chat',
      ChangeType: 'update',
      ChatId: chat.chat_id,
      UpdateDetail: 'change_owner',
    }),
  );
  return { failed_chat_list: failed };
}

const getUnassignedList: Handler<'getUnassignedList'> = (context) => {
  const { state, input } = context;
  // Rows are built for the page only: resigned members can leave thousands of customers behind.
  const rows = mapListing(unassignedFollows(state), (follow) => ({
    handover_userid: follow.userid,
    external_userid: follow.external_userid,
    dimission_time: requireResigned(state, follow.userid).dimissionTime,
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
  const { state, input } = context;
  const handover = requireMember(state, input.handover_userid);
  const takeover = requireTakeover(state, input.takeover_userid);
  const kind = handover.dimissionTime === undefined ? 'onjob' : 'resigned';
  const errcode = startTransfer(state, kind, handover, takeover, input.external_userid, seconds(context));
  if (errcode !== 0) throw new ApiError(errcode, `customer ${input.external_userid} cannot be transferred`);
  return {};
};

const getTransferResultLegacy: Handler<'getTransferResultLegacy'> = (context) => {
  const { state, input } = context;
  return latestTransferStatus(
    state,
    requireMember(state, input.handover_userid).userid,
    requireMember(state, input.takeover_userid).userid,
    requireCustomer(state, input.external_userid).external_userid,
    seconds(context),
  );
};

export const transferHandlers = {
  transferCustomer: (context) => transferCustomers(context, 'onjob'),
  getTransferResult: (context) => customerResults(context, 'onjob'),
  getUnassignedList,
  transferResignedCustomer: (context) => transferCustomers(context, 'resigned'),
  getResignedTransferResult: (context) => customerResults(context, 'resigned'),
  transferCustomerLegacy,
  getTransferResultLegacy,
  transferResignedGroupChat: (context) => chatHandovers(context, 'resigned'),
  transferGroupChat: (context) => chatHandovers(context, 'onjob'),
} satisfies HandlerTable;
