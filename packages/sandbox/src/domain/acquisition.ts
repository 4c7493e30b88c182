import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import {
  type AcquisitionChatKey,
  type AcquisitionLink,
  type AcquisitionPriorityOption,
  type AcquisitionRange,
  addLink,
  CHAT_KEY_TTL_SECONDS,
  MAX_ACQUISITION_LINKS,
} from '../state/acquisition';
import { DAY, dayStart } from '../time';
import { requireMember } from './people';

/*
 * 获客助手 links: what WeCom accepts as a link's name, range and priority, the changes to a link,
 * and the figures, quota and chat keys read off them.
 */

const MAX_RANGE_PEOPLE = 500;
const QUERYABLE_DAYS = 180;

/** A link's settings as create_link and update_link take them. */
export interface LinkSettings {
  readonly link_name?: string;
  readonly skip_verify?: boolean;
  readonly mark_source?: boolean;
  readonly range?: { readonly user_list?: readonly string[]; readonly department_list?: readonly number[] };
  readonly priority_option?: {
    readonly priority_type?: number;
    readonly priority_userid_list?: readonly string[];
  };
}

export function requireLink(state: SandboxState, linkId: unknown): AcquisitionLink {
  const link = typeof linkId === 'string' ? state.acquisition.linksById.get(linkId) : undefined;
  // WeCom documents no dedicated code for a link that does not exist or was deleted.
  if (!link) throw invalidParameter(`invalid link_id ${String(linkId)}`);
  return link;
}

function checkRange(state: SandboxState, input: LinkSettings['range']): AcquisitionRange {
  const range = {
    user_list: [...(input?.user_list ?? [])],
    department_list: [...(input?.department_list ?? [])],
  };
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
  option: NonNullable<LinkSettings['priority_option']>,
): AcquisitionPriorityOption {
  if (option.priority_type !== 1 && option.priority_type !== 2) {
    throw invalidParameter('priority_type must be 1 or 2');
  }
  const userids = [...(option.priority_userid_list ?? [])];
  if (option.priority_type === 2 && userids.length === 0) {
    throw invalidParameter('priority_userid_list is required when priority_type is 2');
  }
  for (const userid of userids) requireMember(state, userid);
  return {
    priority_type: option.priority_type,
    ...(userids.length > 0 && { priority_userid_list: userids }),
  };
}

function checkName(name: string | undefined): string {
  if (name === undefined || name.trim() === '') throw invalidParameter('link_name must not be empty');
  return name;
}

export function createLink(state: SandboxState, settings: LinkSettings, now: number): AcquisitionLink {
  if (state.acquisition.links.length >= MAX_ACQUISITION_LINKS) {
    throw new ApiError(41095, 'acquisition link count exceeds the limit');
  }
  const priority = settings.priority_option;
  return addLink(state.acquisition, {
    link_name: checkName(settings.link_name),
    create_time: now,
    skip_verify: settings.skip_verify ?? true,
    mark_source: settings.mark_source ?? true,
    range: checkRange(state, settings.range),
    ...(priority && { priority_option: checkPriorityOption(state, priority) }),
  });
}

/** Changes the settings that are sent; a refused update leaves the link as it was. */
export function updateLink(state: SandboxState, link: AcquisitionLink, settings: LinkSettings): void {
  // Check everything before changing anything.
  const name = settings.link_name === undefined ? link.link_name : checkName(settings.link_name);
  const range = settings.range === undefined ? link.range : checkRange(state, settings.range);
  const priority =
    settings.priority_option === undefined
      ? link.priority_option
      : checkPriorityOption(state, settings.priority_option);
  Object.assign(link, {
    link_name: name,
    range,
    skip_verify: settings.skip_verify ?? link.skip_verify,
    mark_source: settings.mark_source ?? link.mark_source,
    ...(priority && { priority_option: priority }),
  });
}

export function deleteLink(state: SandboxState, link: AcquisitionLink): void {
  const book = state.acquisition;
  book.links = book.links.filter((candidate) => candidate !== link);
  book.linksById.delete(link.link_id);
  // The customers it brought stay contacts and stay counted in the quota's usage.
}

export function customersOf(state: SandboxState, link: AcquisitionLink) {
  return state.acquisition.customersByLink.get(link.link_id) ?? [];
}

/** Clicks and new customers of the link over the Beijing days from `start` to `end`, both counted. */
export function linkFigures(
  state: SandboxState,
  link: AcquisitionLink,
  start: number,
  end: number,
  now: number,
) {
  const first = dayStart(start);
  const last = dayStart(end);
  if (first < dayStart(now) - (QUERYABLE_DAYS - 1) * DAY) {
    throw invalidParameter(`start_time is more than ${QUERYABLE_DAYS} days ago`);
  }
  let clicks = 0;
  for (const [day, count] of state.acquisition.clicksByLink.get(link.link_id) ?? []) {
    if (day >= first && day <= last) clicks += count;
  }
  const added = customersOf(state, link).filter((customer) => {
    const day = dayStart(customer.addTime);
    return day >= first && day <= last;
  });
  return { clicks, added: added.length };
}

/** The quota batches still usable at `now`: a batch lasts through the whole of its expiry day. */
export function liveQuota(state: SandboxState, now: number) {
  const today = dayStart(now);
  return state.acquisition.quota.filter((batch) => batch.expire_date >= today && batch.balance > 0);
}

/** The chat key of a 成员多次收消息 callback, while it still resolves (30 minutes). */
export function requireChatKey(state: SandboxState, chatKey: string, now: number): AcquisitionChatKey {
  const key = state.acquisition.chatKeys.get(chatKey);
  if (!key || now - key.issuedAt > CHAT_KEY_TTL_SECONDS) {
    throw invalidParameter('invalid chat_key: unknown, or more than 30 minutes old');
  }
  return key;
}
