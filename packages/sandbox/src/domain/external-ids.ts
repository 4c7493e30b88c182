import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { SandboxState } from '../state';
import { findExternalUser } from '../state/group-chats';

/*
 * The ids of one external user across subjects and platforms. The sandbox serves one corp-subject
 * app, so ids it hands out elsewhere are corp-subject (企业主体). Provider-subject ids (服务商主体)
 * are a reversible encoding of them: keeping the wm/wo prefix, then `SP` and the rest in
 * base64url. Seeded ids never have `SP` after the prefix (customers use lower-case base 36, group
 * guests a `G`), so the two subjects cannot be confused.
 */
const PROVIDER_MARK = 'SP';

function toProviderId(externalUserid: string): string {
  return `${externalUserid.slice(0, 2)}${PROVIDER_MARK}${Buffer.from(externalUserid.slice(2)).toString('base64url')}`;
}

function fromProviderId(externalUserid: string): string | undefined {
  if (externalUserid.slice(2, 4) !== PROVIDER_MARK) return undefined;
  return `${externalUserid.slice(0, 2)}${Buffer.from(externalUserid.slice(4), 'base64url').toString()}`;
}

/** A known external user's id as given, its corp-subject id, and whether the id given was provider-subject. */
export interface ResolvedId {
  readonly given: string;
  readonly corpId: string;
  readonly provider: boolean;
}

/** The external user behind an id of either subject; undefined when nobody has it. */
export function resolveExternalUserid(state: SandboxState, externalUserid: string): ResolvedId | undefined {
  const decoded = fromProviderId(externalUserid);
  const corpId = decoded ?? externalUserid;
  return findExternalUser(state.people, state.groupChats, corpId)
    ? { given: externalUserid, corpId, provider: decoded !== undefined }
    : undefined;
}

/** Like resolveExternalUserid, for a call that refuses an id nobody has (40096). */
export function requireExternalUserid(state: SandboxState, externalUserid: string): ResolvedId {
  const resolved = resolveExternalUserid(state, externalUserid);
  if (!resolved) throw new ApiError(40096, 'invalid external userid');
  return resolved;
}

/** The provider-subject id of a resolved user: the one given when it already was. */
export function providerIdOf(resolved: ResolvedId): string {
  return resolved.provider ? resolved.given : toProviderId(resolved.given);
}

/** The corp-subject id behind a provider-subject id; a corp-subject id is refused too (40096). */
export function corpIdFromProvider(state: SandboxState, externalUserid: string): string {
  const corpId = fromProviderId(externalUserid);
  if (corpId === undefined || !findExternalUser(state.people, state.groupChats, corpId)) {
    throw new ApiError(40096, 'invalid external userid');
  }
  return corpId;
}

/** The stable WeChat openid the sandbox gives a WeChat external user. */
function openidOf(externalUserid: string): string {
  return `o${createHash('sha256').update(`openid:${externalUserid}`).digest('base64url').slice(0, 27)}`;
}

/** The openid of a WeChat external user; wo… ids are WeCom users, who have none (43004). */
export function openidOfExternalUser(state: SandboxState, externalUserid: string): string {
  if (!findExternalUser(state.people, state.groupChats, externalUserid))
    throw new ApiError(40096, 'invalid external userid');
  if (externalUserid.startsWith('wo')) throw new ApiError(43004, 'external user is not a WeChat user');
  return openidOf(externalUserid);
}

/** The external user with this unionid, whose openid must match it (same open-platform account). */
export function externalUserOfUnionid(state: SandboxState, unionid: string, openid: string): string {
  const user =
    state.people.customers.find((customer) => customer.unionid === unionid) ??
    [...state.groupChats.guests.values()].find((guest) => guest.unionid === unionid);
  if (!user) throw new ApiError(610014, 'invalid unionid');
  if (openidOf(user.external_userid) !== openid) {
    throw new ApiError(610018, 'openid and unionid are not under the same open platform account');
  }
  return user.external_userid;
}
