import { ApiError } from '../api-error';
import type { SandboxEvent } from '../callbacks';
import type { SandboxState } from '../state';
import type { Customer, Follow, Member } from '../state/people';

/*
 * Lookups of members, customers and their relations that every operation shares, with the
 * errcodes WeCom answers when one is missing.
 */

export function requireMember(state: SandboxState, userid: unknown) {
  const member = typeof userid === 'string' ? state.people.membersById.get(userid) : undefined;
  if (!member) throw new ApiError(40003, `invalid userid ${String(userid)}`);
  return member;
}

export function requireCustomer(state: SandboxState, externalUserid: unknown): Customer {
  const customer =
    typeof externalUserid === 'string' ? state.people.customersById.get(externalUserid) : undefined;
  if (!customer) throw new ApiError(40096, 'invalid external userid');
  return customer;
}

export function requireFollow(state: SandboxState, userid: unknown, externalUserid: unknown): Follow {
  requireMember(state, userid);
  const customer = requireCustomer(state, externalUserid);
  const follow = state.people.followsByCustomer
    .get(customer.external_userid)
    ?.find((candidate) => candidate.userid === userid);
  if (!follow) throw new ApiError(84061, 'not external contact');
  return follow;
}

/**
 * Members who serve customers: those with 客户联系 enabled who still work here. A resigned member's
 * customers wait for transfer (get_unassigned_list), but the member no longer counts.
 */
export function customerContactMembers(state: SandboxState): Member[] {
  return state.people.members.filter(
    (member) => member.hasCustomerContact && member.dimissionTime === undefined,
  );
}

/** The relations of a customer: one per member who follows them. */
export function followersOf(state: SandboxState, externalUserid: string): Follow[] {
  return state.people.followsByCustomer.get(externalUserid) ?? [];
}

/** The customers a member follows. */
export function followsOf(state: SandboxState, userid: string): Follow[] {
  return state.people.followsByMember.get(userid) ?? [];
}

/** What a member writes about a customer; a field that is sent replaces the old value. */
export interface RemarkChanges {
  readonly remark?: string;
  readonly description?: string;
  readonly remark_company?: string;
  readonly remark_mobiles?: readonly string[];
}

export function updateRemark(follow: Follow, changes: RemarkChanges): void {
  if (changes.remark !== undefined) follow.remark = changes.remark;
  if (changes.description !== undefined) follow.description = changes.description;
  if (changes.remark_company !== undefined) follow.remark_corp_name = changes.remark_company;
  // Empty numbers are dropped.
  if (changes.remark_mobiles !== undefined) follow.remark_mobiles = changes.remark_mobiles.filter(Boolean);
}

/** A relation event that carries nothing beyond the pair. */
export function contactEvent(
  follow: Follow,
  ChangeType: 'edit_external_contact' | 'del_follow_user' | 'del_external_contact',
): SandboxEvent {
  return {
    Event: 'change_external_contact',
    ChangeType,
    UserID: follow.userid,
    ExternalUserID: follow.external_userid,
  };
}

/** What WeCom raises when a member's remark, description or tags of a customer change. */
export const editEvent = (follow: Follow): SandboxEvent => contactEvent(follow, 'edit_external_contact');

/** The `owner_filter` of group-chat lists and statistics. */
export type OwnerFilter = { userid_list?: string[]; partyid_list?: number[] };

/**
 * The members an `owner_filter` names: its userids plus the members of its departments (the
 * legacy `partyid_list`); undefined when the filter names nobody, which means "every owner".
 */
export function filteredOwners(state: SandboxState, filter: OwnerFilter | undefined): Member[] | undefined {
  const userids = filter?.userid_list ?? [];
  const parties = new Set(filter?.partyid_list ?? []);
  if (userids.length === 0 && parties.size === 0) return undefined;
  const owners = new Set(userids.map((userid) => requireMember(state, userid)));
  if (parties.size > 0) {
    for (const member of state.people.members) {
      if (member.department.some((party) => parties.has(party))) owners.add(member);
    }
  }
  return [...owners];
}
