import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import type { GroupChat } from '../state/group-chats';
import type { Member } from '../state/people';
import { figure } from '../state/statistics';
import { DAY, dayStart } from '../time';
import { filteredOwners, followsOf, type OwnerFilter } from './people';

/*
 * The figures of 联系客户统计 and 群聊数据统计. Nothing is stored: chats, members and contacts come
 * from the state, who spoke and how much is derived from the seed, the member or chat, and the day.
 */

/** WeCom keeps 180 days of statistics and serves at most 30 days per call, both ends counted. */
const RETENTION_DAYS = 180;
const MAX_WINDOW_DAYS = 30;
/** Without owner_filter WeCom aggregates the whole visible range, and refuses when that exceeds 1,000 people. */
const MAX_UNFILTERED_OWNERS = 1_000;
/** Share of existing chats in which someone speaks on a given day. */
const ACTIVE_CHAT_PERCENT = 35;

/** A closed window of Beijing days, as the midnights it holds: never empty. */
export type DayWindow = readonly [number, ...number[]];

/**
 * The midnights of a closed day window, or 600018 when WeCom would refuse it: both ends are
 * rounded down to midnight, span at most 30 days and lie between 180 days ago and `lastDay`.
 */
export function windowDays(start: number, end: number, lastDay: number): DayWindow {
  const first = dayStart(start);
  const last = dayStart(end);
  const span = (last - first) / DAY + 1;
  if (span < 1 || span > MAX_WINDOW_DAYS || first < lastDay - RETENTION_DAYS * DAY || last > lastDay) {
    throw new ApiError(600018, 'invalid start_time or end_time');
  }
  const later = Array.from({ length: span - 1 }, (_, index) => first + (index + 1) * DAY);
  return [first, ...later];
}

/** Whose behaviour to sum: members by userid and the members of departments. */
export interface BehaviorSelection {
  readonly userid?: readonly string[];
  readonly partyid?: readonly number[];
}

function selectedMembers(state: SandboxState, selection: BehaviorSelection): Member[] {
  const selected = new Map<string, Member>();
  for (const userid of selection.userid ?? []) {
    const member = state.people.membersById.get(userid);
    if (!member) throw new ApiError(60011, `no permission on userid ${userid}`);
    selected.set(userid, member);
  }
  for (const partyid of selection.partyid ?? []) {
    const inDepartment = state.people.members.filter((member) => member.department.includes(partyid));
    if (inDepartment.length === 0) throw new ApiError(60123, `invalid department id ${partyid}`);
    for (const member of inDepartment) selected.set(member.userid, member);
  }
  return [...selected.values()];
}

/** One member's day: contacts added come from the follow relations, the rest from the seed. */
function memberDay(state: SandboxState, member: Member, day: number) {
  const follows = followsOf(state, member.userid);
  const newContacts = follows.filter(
    (follow) => follow.createtime >= day && follow.createtime < day + DAY,
  ).length;
  const key = [state.statistics.salt, member.userid, day];
  const chats = figure(0, Math.max(1, Math.round(follows.length / 5)), ...key, 'chat');
  const initiated = figure(0, Math.ceil(chats / 2), ...key, 'initiated');
  return {
    chat_cnt: chats,
    message_cnt: chats * figure(1, 6, ...key, 'messages'),
    negative_feedback_cnt: figure(0, 19, ...key, 'negative') === 0 ? 1 : 0,
    new_apply_cnt: newContacts + figure(0, 3, ...key, 'apply'),
    new_contact_cnt: newContacts,
    initiated,
    replied: initiated === 0 ? 0 : figure(Math.ceil(initiated / 2), initiated, ...key, 'replied'),
    replyMinutes: figure(1, 30, ...key, 'minutes'),
  };
}

/** The selected members' behaviour, summed per day; members without customer contact count for nothing. */
export function behaviorByDay(state: SandboxState, selection: BehaviorSelection, days: DayWindow) {
  const members = selectedMembers(state, selection).filter((member) => member.hasCustomerContact);
  return days.map((day) => {
    const active = members.filter(
      (member) => member.dimissionTime === undefined || member.dimissionTime > day,
    );
    const figures = active.map((member) => memberDay(state, member, day));
    const sum = (field: keyof (typeof figures)[number]) =>
      figures.reduce((total, entry) => total + entry[field], 0);
    const initiated = sum('initiated');
    const replied = sum('replied');
    const waited = figures.reduce((total, entry) => total + entry.replied * entry.replyMinutes, 0);
    return {
      stat_time: day,
      chat_cnt: sum('chat_cnt'),
      message_cnt: sum('message_cnt'),
      // Only days on which customers started chats carry the reply figures.
      ...(initiated > 0 && {
        reply_percentage: Math.round((replied / initiated) * 10_000) / 100,
        avg_reply_time: replied === 0 ? 0 : Math.round(waited / replied),
      }),
      negative_feedback_cnt: sum('negative_feedback_cnt'),
      new_apply_cnt: sum('new_apply_cnt'),
      new_contact_cnt: sum('new_contact_cnt'),
    };
  });
}

/**
 * Group-chat figures of `chats` over `days`. Over several days the running totals are those of
 * the last day, chat_has_msg counts distinct chats, and member_has_msg each chat's busiest day.
 */
function chatFigures(chats: GroupChat[], days: DayWindow, salt: number) {
  const first = days[0];
  // The window's days are consecutive: it ends at the midnight after its last day.
  const last = first + days.length * DAY;
  const existing = chats.filter((chat) => chat.create_time < last);
  let chatsWithMessages = 0;
  let speakers = 0;
  let messages = 0;
  for (const chat of existing) {
    let busiest = 0;
    for (const day of days) {
      if (chat.create_time >= day + DAY || figure(0, 99, salt, chat.chat_id, day) >= ACTIVE_CHAT_PERCENT)
        continue;
      const present = chat.members.filter((member) => member.join_time < day + DAY).length;
      const spoke = figure(1, Math.max(1, Math.min(present, 12)), salt, chat.chat_id, day, 'speakers');
      busiest = Math.max(busiest, spoke);
      messages += spoke * figure(1, 15, salt, chat.chat_id, day, 'messages');
    }
    if (busiest > 0) chatsWithMessages++;
    speakers += busiest;
  }
  const members = existing.flatMap((chat) => chat.members);
  return {
    new_chat_cnt: existing.filter((chat) => chat.create_time >= first).length,
    chat_total: existing.length,
    chat_has_msg: chatsWithMessages,
    new_member_cnt: members.filter((member) => member.join_time >= first && member.join_time < last).length,
    member_total: members.filter((member) => member.join_time < last).length,
    member_has_msg: speakers,
    msg_total: messages,
  };
}

/** The chats of the filtered owners (every owner without a filter, up to WeCom's 1,000-people limit). */
function ownedChats(state: SandboxState, filter: OwnerFilter | undefined): Map<string, GroupChat[]> {
  const filtered = filteredOwners(state, filter);
  if (!filtered && state.people.members.length > MAX_UNFILTERED_OWNERS) {
    throw new ApiError(81017, 'request count exceeds limit: the visible range holds more than 1000 people');
  }
  const owners = new Set(filtered?.map((member) => member.userid) ?? state.people.membersById.keys());
  const byOwner = new Map<string, GroupChat[]>();
  for (const chat of state.groupChats.chats) {
    if (!owners.has(chat.owner)) continue;
    const list = byOwner.get(chat.owner);
    if (list) list.push(chat);
    else byOwner.set(chat.owner, [chat]);
  }
  return byOwner;
}

/** What getGroupChatStatistic sorts owners by: its `order_by`, 1 to 4. */
const SORT_FIELDS = ['new_chat_cnt', 'chat_total', 'new_member_cnt', 'member_total'] as const;

/** How owners are ordered: WeCom's `order_by` (1 to 4, default 1) and `order_asc` (1 ascending). */
export interface OwnerOrder {
  readonly order_by?: number;
  readonly order_asc?: number;
}

/** Each owner's chat figures over the window, owners without chats left out, in the requested order. */
export function chatFiguresByOwner(
  state: SandboxState,
  filter: OwnerFilter | undefined,
  days: DayWindow,
  order: OwnerOrder,
) {
  const field = SORT_FIELDS[(order.order_by ?? 1) - 1] ?? 'new_chat_cnt';
  const direction = order.order_asc === 1 ? 1 : -1;
  return [...ownedChats(state, filter)]
    .map(([owner, chats]) => ({ owner, data: chatFigures(chats, days, state.statistics.salt) }))
    .filter((row) => row.data.chat_total > 0)
    .sort((a, b) => direction * (a.data[field] - b.data[field]) || a.owner.localeCompare(b.owner));
}

/** The filtered owners' chats taken together, one row of figures per day. */
export function chatFiguresByDay(state: SandboxState, filter: OwnerFilter | undefined, days: DayWindow) {
  const chats = [...ownedChats(state, filter).values()].flat();
  return days.map((day) => ({
    stat_time: day,
    data: chatFigures(chats, [day], state.statistics.salt),
  }));
}
