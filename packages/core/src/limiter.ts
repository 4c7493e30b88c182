import { admitWaiter, dropThoseWhoCannotWait, type Waiter, waitForAdmission } from './limiter-queue';

export { LimiterPausedError } from './limiter-queue';

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

interface KeyState {
  key: LimiterKey;
  /** Send times of the last `perMinute` calls, oldest at `head` once full: a sliding log in O(1). */
  sendTimes: Float64Array;
  head: number;
  recorded: number;
  inFlight: number;
  pausedUntil: number;
  queue: Waiter[];
  /** Why the head of the queue was last held back; what a call queued behind it waits for too. */
  heldBy?: Admission['heldBy'];
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The in-process limiter: a sliding window (no window of `windowMs` ever holds more than
 * `perMinute` sends, which also satisfies WeCom's fixed minute windows) plus a concurrency cap,
 * with a FIFO queue so that waiting calls are admitted in order.
 */
export class SlidingWindowLimiter implements RateLimiter {
  readonly #windowMs: number;
  readonly #states = new Map<string, KeyState>();

  constructor(options: { windowMs?: number } = {}) {
    this.#windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT_OPTIONS.windowMs;
  }

  acquire(key: LimiterKey, signal?: AbortSignal, options: AcquireOptions = {}): Promise<Admission> {
    const state = this.#state(key);
    return waitForAdmission(
      signal,
      options,
      (waiter) => {
        state.queue.push(waiter);
        this.#pump(state);
        if (!waiter.admitted) waiter.heldBy ??= state.heldBy;
      },
      (waiter) => {
        state.queue = state.queue.filter((queued) => queued !== waiter);
        this.#pump(state);
      },
    );
  }

  tryAcquire(key: LimiterKey): Admission | undefined {
    const state = this.#state(key);
    if (state.queue.length > 0 || state.inFlight >= key.concurrency) return undefined;
    const now = Date.now();
    if (this.#nextSendAt(state, now).heldBy) return undefined;
    this.#admit(state, now);
    return { admittedAt: now, waitedMs: 0 };
  }

  release(key: LimiterKey): void {
    const state = this.#state(key);
    state.inFlight = Math.max(0, state.inFlight - 1);
    this.#pump(state);
  }

  pause(key: LimiterKey, ms: number): number {
    const state = this.#state(key);
    state.pausedUntil = Math.max(state.pausedUntil, Date.now() + ms);
    return state.pausedUntil;
  }

  #state(key: LimiterKey): KeyState {
    const id = `${key.scope}\u0000${key.operationId}`;
    let state = this.#states.get(id);
    if (!state || state.sendTimes.length !== key.perMinute) {
      state = {
        key,
        sendTimes: new Float64Array(Math.max(1, key.perMinute)),
        head: 0,
        recorded: 0,
        inFlight: state?.inFlight ?? 0,
        pausedUntil: state?.pausedUntil ?? 0,
        queue: state?.queue ?? [],
      };
      this.#states.set(id, state);
    }
    state.key = key;
    return state;
  }

  /** Counts a send against the budget and the concurrency cap. */
  #admit(state: KeyState, now: number): void {
    state.sendTimes[state.head] = now;
    state.head = (state.head + 1) % state.sendTimes.length;
    state.recorded = Math.min(state.recorded + 1, state.sendTimes.length);
    state.inFlight += 1;
  }

  /** When the next send is allowed by the budget (ignoring concurrency), and what holds it back. */
  #nextSendAt(state: KeyState, now: number): { at: number; heldBy?: 'budget' | 'paused' } {
    if (state.pausedUntil > now) return { at: state.pausedUntil, heldBy: 'paused' };
    if (state.recorded < state.sendTimes.length) return { at: now };
    const oldest = state.sendTimes[state.head] ?? 0;
    const at = oldest + this.#windowMs;
    return at <= now ? { at: now } : { at, heldBy: 'budget' };
  }

  #pump(state: KeyState): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    for (;;) {
      const waiter = state.queue[0];
      if (!waiter) return;
      if (state.inFlight >= state.key.concurrency) {
        state.heldBy = 'concurrency';
        waiter.heldBy ??= 'concurrency';
        return;
      }
      const now = Date.now();
      const next = this.#nextSendAt(state, now);
      if (next.heldBy === 'paused') {
        const staying = dropThoseWhoCannotWait(state.queue, next.at);
        if (staying !== state.queue) {
          state.queue = staying;
          continue;
        }
      }
      if (next.heldBy) {
        state.heldBy = next.heldBy;
        waiter.heldBy ??= next.heldBy;
        state.timer = setTimeout(() => this.#pump(state), next.at - now);
        return;
      }
      state.queue.shift();
      this.#admit(state, now);
      admitWaiter(waiter, now);
    }
  }
}
