import { ApiError, invalidParameter } from '../api-error';
import type { SandboxEvent } from '../callbacks';
import type { SandboxState } from '../state';
import type { Member } from '../state/people';

/** A user action no API call causes: changes the state, emits what WeCom would push, answers extra fields. */
export type Simulation = (
  state: SandboxState,
  input: Record<string, unknown>,
  nowMs: number,
  emit: Emit,
) => object;

export type Emit = (event: SandboxEvent) => void;

/** A required string field of a simulate body; 40058 like WeCom's answer to a malformed request. */
export function stringField(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '')
    throw invalidParameter(`${field} must be a non-empty string`);
  return value;
}

/** An optional string of at most `max` characters (WeCom's limit on `state`, 30, for instance). */
export function optionalString(
  input: Record<string, unknown>,
  field: string,
  max: number,
): string | undefined {
  const value = input[field];
  if (value !== undefined && (typeof value !== 'string' || value.length > max))
    throw invalidParameter(`${field} must be a string of at most ${max} characters`);
  return value;
}

/** Only an employed member with customer contact enabled can be added by, or own chats with, customers. */
export function requireActiveFollower(state: SandboxState, userid: unknown): Member {
  const member = typeof userid === 'string' ? state.people.membersById.get(userid) : undefined;
  if (!member?.hasCustomerContact || member.dimissionTime !== undefined)
    throw new ApiError(40003, `invalid userid ${String(userid)}: not an active member with customer contact`);
  return member;
}
