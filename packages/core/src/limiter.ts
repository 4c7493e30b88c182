// The limiter's contract: what the limit gate asks of it, and what a shared implementation must
// answer. The in-process and the Redis limiter are both a QueuedLimiter with a different Budget.

export interface RateLimitOptions {
  /** Calls per operation per window. Default 10,000, WeCom's basic per-corp, per-API limit; op.rateLimitPerMinute overrides it. */
  perMinute: number;
  /** Calls of one operation in flight at once, to stay clear of 45033. Default 16. */
  concurrency: number;
  /**
   * Length of the budget window. Default 61 s: WeCom counts per minute by arrival time, and the extra
   * second keeps network delay from landing two windows' calls inside one of WeCom's minutes.
   */
  windowMs: number;
  /** After a 45009 the operation admits nothing for this long: WeCom blocks for the whole window. Default 60 s. */
  pauseAfterRateLimitMs: number;
  /**
   * How long a call may wait for budget or a concurrency slot before it fails unsent. Default 120 s,
   * two windows, so that calls queued behind a spent minute get the next one. This wait does not
   * count against `retry.deadlineMs`.
   */
  maxQueueMs: number;
  /** Replaces the in-process limiter, e.g. with a budget shared between processes. */
  limiter?: RateLimiter;
}

export const DEFAULT_RATE_LIMIT_OPTIONS: Readonly<Omit<RateLimitOptions, 'limiter'>> = {
  perMinute: 10_000,
  concurrency: 16,
  windowMs: 61_000,
  pauseAfterRateLimitMs: 60_000,
  maxQueueMs: 120_000,
};

/** One budget: an operation of a corp (WeCom limits each API of each corp separately). */
export interface LimiterKey {
  /** The corp, or the base URL when there is no corpId. */
  readonly scope: string;
  readonly operationId: string;
  readonly perMinute: number;
  readonly concurrency: number;
}

export interface Admission {
  /** When the send was counted against the budget (epoch ms). */
  readonly admittedAt: number;
  /** How long the call was held back. */
  readonly waitedMs: number;
  /** What held it back first, when it waited. */
  readonly heldBy?: 'budget' | 'concurrency' | 'paused';
}

export interface AcquireOptions {
  /**
   * The caller cannot wait past this instant (epoch ms): if the operation is paused beyond it,
   * acquire rejects at once with a LimiterPausedError instead of holding the call until then.
   */
  giveUpAfter?: number;
}

/** Admission control per (corp, operation). A shared implementation (Redis) can replace the local one. */
export interface RateLimiter {
  /** Resolves when the call may be sent; rejects with the signal's reason if it aborts first. */
  acquire(key: LimiterKey, signal?: AbortSignal, options?: AcquireOptions): Promise<Admission>;
  /** Admits the call now if nothing holds it back; undefined means "call acquire and wait". */
  tryAcquire?(key: LimiterKey): Admission | undefined;
  /** The call admitted by `acquire` has finished. */
  release(key: LimiterKey): void;
  /** WeCom answered 45009: admit nothing for `ms`. Returns the instant (epoch ms) admission resumes. */
  pause(key: LimiterKey, ms: number): number;
}

/** The operation is paused (after a 45009) until after the time the caller could wait. */
export class LimiterPausedError extends Error {
  override name = 'LimiterPausedError';
  readonly resumesAt: number;
  /** Who paused it: this process after WeCom's 45009, or the shared budget (a Redis key) another process paused. */
  readonly pausedBy: string;

  constructor(resumesAt: number, pausedBy: string) {
    super(`The operation is paused until ${new Date(resumesAt).toISOString()} (${pausedBy}).`);
    this.resumesAt = resumesAt;
    this.pausedBy = pausedBy;
  }
}
