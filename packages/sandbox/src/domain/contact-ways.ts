import { ApiError, invalidParameter } from '../api-error';
import type { SandboxState } from '../state';
import {
  type ContactWay,
  type ContactWayConclusions,
  DEFAULT_TEMP_CHAT_EXPIRES_IN,
  DEFAULT_TEMP_EXPIRES_IN,
  LISTABLE_SINCE,
  newConfigId,
} from '../state/contact-ways';
import { DAY } from '../time';
import { requireConfigQuota } from './chats';
import { requireCustomer, requireMember } from './people';

/*
 * 「联系我」 configurations and temporary sessions: who may be on a configuration, what an edit
 * changes, which configurations are listed, and ending a session early.
 */

const MAX_MEMBERS_PER_WAY = 100;

/** The optional fields add_contact_way and update_contact_way share; a field that is sent replaces the old value. */
export interface ContactWaySettings {
  readonly remark?: string;
  readonly skip_verify?: boolean;
  readonly state?: string;
  readonly style?: number;
  readonly user?: readonly string[];
  readonly party?: readonly number[];
  readonly expires_in?: number;
  readonly chat_expires_in?: number;
  readonly unionid?: string;
  readonly conclusions?: ContactWayConclusions;
}

/** What add_contact_way takes beyond the settings. */
export interface NewContactWay extends ContactWaySettings {
  readonly type: number;
  readonly scene: number;
  readonly is_temp?: boolean;
  readonly mark_source?: boolean;
}

export function requireContactWay(state: SandboxState, configId: unknown): ContactWay {
  const way = typeof configId === 'string' ? state.contactWays.ways.get(configId) : undefined;
  if (!way) throw new ApiError(41044, 'invalid config_id');
  return way;
}

/** The member rules add_contact_way and update_contact_way share. */
function checkStaff(state: SandboxState, way: ContactWay): void {
  if ((way.type === 1 || way.is_temp) && way.user.length !== 1) {
    throw invalidParameter('a single-member or temporary configuration needs exactly one user');
  }
  for (const userid of way.user) {
    const member = requireMember(state, userid);
    if (!member.hasCustomerContact || member.dimissionTime !== undefined) {
      throw new ApiError(41054, `user ${userid} is not active or has no customer contact permission`);
    }
  }
  const parties = new Set(way.party);
  const covered = new Set(way.user);
  const known = new Set<number>();
  for (const member of state.people.members) {
    for (const department of member.department) {
      known.add(department);
      if (parties.has(department)) covered.add(member.userid);
    }
  }
  for (const party of parties)
    if (!known.has(party)) throw new ApiError(60011, `no privilege to access department ${party}`);
  if (covered.size === 0) throw invalidParameter('user and party cannot both be empty');
  if (covered.size > MAX_MEMBERS_PER_WAY)
    throw new ApiError(41041, `contact way user count exceeds ${MAX_MEMBERS_PER_WAY}`);
}

function checkConclusions(conclusions: ContactWayConclusions): ContactWayConclusions {
  if (!conclusions.text && !conclusions.image && !conclusions.link && !conclusions.miniprogram) {
    throw invalidParameter('conclusions: text, image, link and miniprogram cannot all be empty');
  }
  return conclusions;
}

/** The configuration with the settings applied; fields a configuration of its kind lacks are ignored. */
function withChanges(way: ContactWay, settings: ContactWaySettings): ContactWay {
  const next = { ...way };
  if (settings.remark !== undefined) next.remark = settings.remark;
  if (settings.skip_verify !== undefined) next.skip_verify = settings.skip_verify;
  if (settings.state !== undefined) next.state = settings.state;
  if (next.scene === 1 && settings.style !== undefined) {
    if (settings.style < 1) throw new ApiError(41042, 'invalid contact way style');
    next.style = settings.style;
  }
  if (settings.user !== undefined) next.user = [...settings.user];
  if (next.type === 2 && settings.party !== undefined) next.party = [...settings.party];
  if (next.is_temp) {
    if (settings.expires_in !== undefined) next.expires_in = settings.expires_in;
    if (settings.chat_expires_in !== undefined) next.chat_expires_in = settings.chat_expires_in;
    if (settings.unionid !== undefined) next.unionid = settings.unionid;
    if (settings.conclusions !== undefined) next.conclusions = checkConclusions(settings.conclusions);
  }
  return next;
}

export function addContactWay(state: SandboxState, input: NewContactWay, now: number): ContactWay {
  if (input.type !== 1 && input.type !== 2) throw new ApiError(41039, 'invalid contact way type');
  if (input.scene !== 1 && input.scene !== 2) throw new ApiError(41040, 'invalid contact way scene');
  const isTemp = input.is_temp === true;
  const draft = withChanges(
    {
      config_id: '',
      type: input.type,
      scene: input.scene,
      remark: '',
      skip_verify: true,
      user: [],
      party: [],
      is_temp: isTemp,
      ...(isTemp && { expires_in: DEFAULT_TEMP_EXPIRES_IN, chat_expires_in: DEFAULT_TEMP_CHAT_EXPIRES_IN }),
      ...(input.mark_source !== undefined && { mark_source: input.mark_source }),
      createTime: now,
    },
    input,
  );
  checkStaff(state, draft);
  if (!isTemp) requireConfigQuota(state);
  const way = { ...draft, config_id: newConfigId(state.contactWays, 'contact_way') };
  state.contactWays.ways.set(way.config_id, way);
  return way;
}

export function updateContactWay(
  state: SandboxState,
  way: ContactWay,
  settings: ContactWaySettings,
  now: number,
): void {
  if (way.is_temp && way.createTime + (way.expires_in ?? 0) <= now) {
    throw invalidParameter('an expired temporary configuration can no longer be edited');
  }
  const next = withChanges(way, settings);
  if (settings.user !== undefined || settings.party !== undefined) checkStaff(state, next);
  state.contactWays.ways.set(way.config_id, next);
}

export function deleteContactWay(state: SandboxState, way: ContactWay): void {
  state.contactWays.ways.delete(way.config_id);
}

/**
 * The configurations list_contact_way shows, oldest first: never temporary ones, nor any created
 * before 2021-07-10; without times, the last 90 days up to now.
 */
export function listableContactWays(
  state: SandboxState,
  window: { readonly start_time?: number; readonly end_time?: number },
  now: number,
): ContactWay[] {
  const start = Math.max(LISTABLE_SINCE, window.start_time ?? now - 90 * DAY);
  const end = window.end_time ?? now;
  return [...state.contactWays.ways.values()]
    .filter((way) => !way.is_temp && way.createTime >= start && way.createTime <= end)
    .sort((a, b) => a.createTime - b.createTime);
}

/** Ends the temporary session in progress between the member and the customer. */
export function closeTempChat(
  state: SandboxState,
  userid: string,
  externalUserid: string,
  now: number,
): void {
  requireMember(state, userid);
  requireCustomer(state, externalUserid);
  const session = state.contactWays.tempChats.find(
    (chat) => chat.userid === userid && chat.external_userid === externalUserid && chat.endTime > now,
  );
  if (!session) throw invalidParameter('no temporary session in progress between this member and customer');
  session.endTime = now;
}
