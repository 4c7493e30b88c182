import type { SandboxEvent } from '../callbacks';
import type { Listing } from '../listing';
import type { SandboxState } from '../state';
import { toSeconds } from '../time';

export interface HandlerContext {
  /** The request body (POST) or query (GET), already checked against the operation's constraints. */
  input: Record<string, unknown>;
  state: SandboxState;
  /** Current time, ms. */
  now: number;
  /** Queues a callback event, delivered only if the call succeeds. */
  emit(event: SandboxEvent): void;
  /**
   * One page of `all` in the operation's pagination style, as response fields (items field plus
   * next_cursor, or next_offset + total, or is_last). `scope` binds cursors to one listing. Long
   * listings should be lazy (see listing.ts), so that only the page's rows are built.
   */
  page<T>(all: Listing<T>, scope?: string): Record<string, unknown>;
}

/** Serves one operation: returns the success fields, or throws an ApiError. */
export type Handler = (context: HandlerContext) => Record<string, unknown>;

export function seconds(context: HandlerContext): number {
  return toSeconds(context.now);
}
