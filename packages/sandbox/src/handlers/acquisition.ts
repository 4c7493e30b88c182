import { ApiError, invalidParameter } from '../api-error';
import { requireMember } from '../domain/people';
import type { SandboxState } from '../state';
import {
  type AcquisitionLink,
  type AcquisitionPriorityOption,
  type AcquisitionRange,
  addLink,
  CHAT_KEY_TTL_SECONDS,
  MAX_ACQUISITION_LINKS,
} from '../state/acquisition';
import { DAY, dayStart } from '../time';
import { type Handler, type HandlerTable, seconds } from './context';

const MAX_RANGE_PEOPLE = 500;
const QUERYABLE_DAYS = 180;

function requireLink(state: SandboxState, linkId: unknown): AcquisitionLink {
  const link = typeof linkId === 'string' ? state.acquisition.linksById.get(linkId) : undefined;
  // WeCom documents no dedicated code for a link that does not exist or was deleted.
  if (!link) throw invalidParameter(`invalid link_id ${String(linkId)}`);
  return link;
}

function checkRange(state: SandboxState, input: Partial<AcquisitionRange>): AcquisitionRange {
  const range = { user_list: input.user_list ?? [], department_list: input.department_list ?? [] };
  if (range.user_list.length === 0 && range.department_list.length === 0) {
    throw invalidParameter('range.user_list and range.department_list cannot both be empty');
  }
  for (const userid of range.user_list) requireMember(state, userid);
  const departments = new Set(range.department_list);
  const known = new Set(state.people.members.flatMap((member) => member.department));
  const unknown = range.department_list.filter((department) => !known.has(department));
  if (unknown.length > 0) throw new ApiError(40066, `invalid department list: ${unknown.join(',')}`);
  const people = new Set(range.user_list);
  for (const member of state.people.members) {
    if (member.department.some((department) => departments.has(department))) people.add(member.userid);
  }
  if (people.size > MAX_RANGE_PEOPLE) {
    throw invalidParameter(
      `range covers ${people.size} members, departments expanded; the maximum is ${MAX_RANGE_PEOPLE}`,
    );
  }
  return range;
}

function checkPriorityOption(
  state: SandboxState,
  option: AcquisitionPriorityOption,
): AcquisitionPriorityOption {
  if (option.priority_type !== 1 && option.priority_type !== 2) {
    throw invalidParameter('priority_type must be 1 or 2');
  }
  const userids = option.priority_userid_list ?? [];
  if (option.priority_type === 2 && userids.length === 0) {
    throw invalidParameter('priority_userid_list is required when priority_type is 2');
  }
  for (const userid of userids) requireMember(state, userid);
  return {
    priority_type: option.priority_type,
    ...(userids.length > 0 && { priority_userid_list: userids }),
  };
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalidParameter('link_name must not be empty');
  return name;
}

const createAcquisitionLink: Handler<'createAcquisitionLink'> = (context) => {
  const { state, input } = context;
  if (state.acquisition.links.length >= MAX_ACQUISITION_LINKS) {
    throw new ApiError(41095, 'acquisition link count exceeds the limit');
  }
  const priority = input.priority_option as AcquisitionPriorityOption | undefined;
  const link = addLink(state.acquisition, {
    link_name: checkName(input.link_name),
    create_time: seconds(context),
    skip_verify: input.skip_verify ?? true,
    mark_source: input.mark_source ?? true,
    range: checkRange(state, input.range as Partial<AcquisitionRange>),
    ...(priority && { priority_option: checkPriorityOption(state, priority) }),
  });
  const { link_id, link_name, url, create_time } = link;
  return { link: { link_id, link_name, url, create_time } };
};

const getAcquisitionLink: Handler<'getAcquisitionLink'> = ({ state, input }) => {
  const { link_name, url, create_time, skip_verify, range, priority_option } = requireLink(
    state,
    input.link_id,
  );
  return {
    link: { link_name, url, create_time, skip_verify },
    range: { user_list: [...range.user_list], department_list: [...range.department_list] },
    ...(priority_option && { priority_option }),
  };
};

const listAcquisitionLinks: Handler<'listAcquisitionLinks'> = (context) =>
  context.page(
    context.state.acquisition.links.map((link) => link.link_id),
    'acquisition_links',
  );

const updateAcquisitionLink: Handler<'updateAcquisitionLink'> = ({ state, input }) => {
  const link = requireLink(state, input.link_id);
  // Check everything before changing anything, so a refused update leaves the link as it was.
  const name = input.link_name === undefined ? link.link_name : checkName(input.link_name);
  const range =
    input.range === undefined ? link.range : checkRange(state, input.range as Partial<AcquisitionRange>);
  const priority =
    input.priority_option === undefined
      ? link.priority_option
      : checkPriorityOption(state, input.priority_option as AcquisitionPriorityOption);
  Object.assign(link, {
    link_name: name,
    range,
    skip_verify: input.skip_verify ?? link.skip_verify,
    mark_source: input.mark_source ?? link.mark_source,
    ...(priority && { priority_option: priority }),
  });
  return {};
};

const deleteAcquisitionLink: Handler<'deleteAcquisitionLink'> = ({ state, input }) => {
  const link = requireLink(state, input.link_id);
  const book = state.acquisition;
  book.links = book.links.filter((candidate) => candidate !== link);
  book.linksById.delete(link.link_id);
  // The customers it brought stay contacts and stay counted in the quota's usage.
  return {};
};

const listAcquisitionCustomers: Handler<'listAcquisitionCustomers'> = (context) => {
  const link = requireLink(context.state, context.input.link_id);
  const customers = (context.state.acquisition.customersByLink.get(link.link_id) ?? []).map(
    ({ external_userid, userid, chat_status, state }) => ({
      external_userid,
      userid,
      chat_status,
      ...(state && { state }),
    }),
  );
  return context.page(customers, `acquisition_customers:${link.link_id}`);
};

const getAcquisitionStatistic: Handler<'getAcquisitionStatistic'> = (context) => {
  const { state, input } = context;
  const link = requireLink(state, input.link_id);
  const first = dayStart(input.start_time as number);
  const last = dayStart(input.end_time as number);
  if (first < dayStart(seconds(context)) - (QUERYABLE_DAYS - 1) * DAY) {
    throw invalidParameter(`start_time is more than ${QUERYABLE_DAYS} days ago`);
  }
  let clicks = 0;
  for (const [day, count] of state.acquisition.clicksByLink.get(link.link_id) ?? []) {
    if (day >= first && day <= last) clicks += count;
  }
  const added = (state.acquisition.customersByLink.get(link.link_id) ?? []).filter((customer) => {
    const day = dayStart(customer.addTime);
    return day >= first && day <= last;
  });
  return { click_link_customer_cnt: clicks, new_customer_cnt: added.length };
};

const getAcquisitionQuota: Handler<'getAcquisitionQuota'> = (context) => {
  const today = dayStart(seconds(context));
  // A batch is usable through the whole of its expiry day.
  const live = context.state.acquisition.quota.filter(
    (batch) => batch.expire_date >= today && batch.balance > 0,
  );
  return {
    total: context.state.acquisition.customers.length,
    balance: live.reduce((sum, batch) => sum + batch.balance, 0),
    quota_list: live.map(({ expire_date, balance }) => ({ expire_date, balance })),
  };
};

const getAcquisitionChatInfo: Handler<'getAcquisitionChatInfo'> = (context) => {
  const key = context.state.acquisition.chatKeys.get(context.input.chat_key as string);
  if (!key || seconds(context) - key.issuedAt > CHAT_KEY_TTL_SECONDS) {
    throw invalidParameter('invalid chat_key: unknown, or more than 30 minutes old');
  }
  const { userid, external_userid, link_id, state } = key.customer;
  return {
    userid,
    external_userid,
    chat_info: { recv_msg_cnt: key.recv_msg_cnt, link_id, ...(state && { state }) },
  };
};

export const acquisitionHandlers = {
  listAcquisitionLinks,
  getAcquisitionLink,
  createAcquisitionLink,
  updateAcquisitionLink,
  deleteAcquisitionLink,
  listAcquisitionCustomers,
  getAcquisitionStatistic,
  getAcquisitionQuota,
  getAcquisitionChatInfo,
} satisfies HandlerTable;
