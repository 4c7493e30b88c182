import type { Budget, BudgetVerdict, KeyBudget } from './budget';
import { localBudget } from './budget';
import { type Clock, systemClock } from './clock';
import {
  type AcquireOptions,
  type Admission,
  DEFAULT_RATE_LIMIT_OPTIONS,
  type LimiterKey,
  LimiterPausedError,
  type RateLimiter,
} from './limiter';

export interface QueuedLimiterOptions {
  /** Counts the sends. Default: the in-process budget (counters per sub-window). */
  budget?: Budget;
  /** Length of the budget window; a key idle for this long is forgotten. Default 61 s. */
  windowMs?: number;
  clock?: Clock;
}

interface Waiter {
  readonly since: number;
  readonly giveUpAfter: number;
  heldBy?: Admission['heldBy'];
  readonly resolve: (admission: Admission) => void;
  readonly reject: (reason: unknown) => void;
}

/** Everything known about one (corp, operation); dropped once idle for a whole window. */
interface KeyState {
  key: LimiterKey;
  readonly budget: KeyBudget;
  inFlight: number;
  pausedUntil: number;
  pausedBy: string;
  /** Created by the first call that has to wait. */
  queue: Waiter[] | undefined;
  /** What last held the head of the queue back; a call that queues behind it waits for the same. */
  heldBy: Admission['heldBy'];
  lastAdmittedAt: number;
  /** A pump is running (it may be waiting for an asynchronous budget). */
  pumping: boolean;
  /** Disarms the timer that wakes the pump when budget or a pause frees up. */
  cancelWake: (() => void) | undefined;
}

const PAUSED_HERE = 'paused by this process after WeCom answered 45009';

/**
 * The one rate limiter: per (corp, operation) a FIFO queue, a cap on calls in flight and the
 * 45009 pause, over a pluggable Budget that counts sends (in process, or shared through Redis).
 * State per key is O(1) in the number of sends, and a key idle for a whole window is forgotten,
 * so a process serving thousands of corps holds only what the last window needs.
 */
export class QueuedLimiter implements RateLimiter {
  readonly #budget: Budget;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #states = new Map<string, Map<string, KeyState>>();
  #keys = 0;
  #cancelSweep: (() => void) | undefined;

  constructor(options: QueuedLimiterOptions = {}) {
    this.#windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT_OPTIONS.windowMs;
    this.#budget = options.budget ?? localBudget(this.#windowMs);
    this.#clock = options.clock ?? systemClock;
  }

  /** How many (corp, operation) keys are held; idle ones leave after a window. */
  get size(): number {
    return this.#keys;
  }

  tryAcquire(key: LimiterKey): Admission | undefined {
    if (!this.#budget.synchronous) return undefined;
    const state = this.#state(key);
    if (state.queue?.length || state.inFlight >= key.concurrency) return undefined;
    const now = this.#clock.now();
    if (state.pausedUntil > now) return undefined;
    const verdict = state.budget.take(now, key.perMinute) as BudgetVerdict;
    if (!verdict.admitted) return undefined;
    this.#admitted(state, now);
    return { admittedAt: now, waitedMs: 0 };
  }

  acquire(key: LimiterKey, signal?: AbortSignal, options: AcquireOptions = {}): Promise<Admission> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = this.#state(key);
    return new Promise<Admission>((resolve, reject) => {
      const onAbort = () => {
        state.queue = state.queue?.filter((queued) => queued !== waiter);
        reject(signal?.reason);
        this.#pump(state);
      };
      const waiter: Waiter = {
        since: this.#clock.now(),
        giveUpAfter: options.giveUpAfter ?? Number.POSITIVE_INFINITY,
        resolve: (admission) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(admission);
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (state.queue?.length) waiter.heldBy = state.heldBy;
      if (state.queue) state.queue.push(waiter);
      else state.queue = [waiter];
      this.#pump(state);
    });
  }

  release(key: LimiterKey): void {
    const state = this.#state(key);
    state.inFlight = Math.max(0, state.inFlight - 1);
    if (state.queue?.length) this.#pump(state);
  }

  pause(key: LimiterKey, ms: number): number {
    const state = this.#state(key);
    this.#holdUntil(state, this.#clock.now() + ms, PAUSED_HERE);
    state.budget.pause?.(ms);
    return state.pausedUntil;
  }

  #state(key: LimiterKey): KeyState {
    let operations = this.#states.get(key.scope);
    if (!operations) {
      operations = new Map();
      this.#states.set(key.scope, operations);
    }
    let state = operations.get(key.operationId);
    if (!state) {
      state = {
        key,
        budget: this.#budget.forKey(key),
        inFlight: 0,
        pausedUntil: 0,
        pausedBy: PAUSED_HERE,
        queue: undefined,
        heldBy: undefined,
        lastAdmittedAt: 0,
        pumping: false,
        cancelWake: undefined,
      };
      operations.set(key.operationId, state);
      this.#keys += 1;
      this.#scheduleSweep();
    }
    // The latest caller's limits apply (an operation's perMinute may differ between clients).
    state.key = key;
    return state;
  }

  #admitted(state: KeyState, now: number): void {
    state.inFlight += 1;
    state.lastAdmittedAt = now;
  }

  #holdUntil(state: KeyState, until: number, pausedBy: string): void {
    if (until <= state.pausedUntil) return;
    state.pausedUntil = until;
    state.pausedBy = pausedBy;
  }

  /** Admits the head of the queue whenever concurrency, the pause and the budget allow; one loop per key. */
  async #pump(state: KeyState): Promise<void> {
    if (state.pumping) return;
    state.pumping = true;
    state.cancelWake?.();
    state.cancelWake = undefined;
    try {
      for (;;) {
        const head = state.queue?.[0];
        if (!head) return;
        if (state.inFlight >= state.key.concurrency) {
          state.heldBy = 'concurrency';
          head.heldBy ??= 'concurrency';
          return;
        }
        let now = this.#clock.now();
        let verdict: BudgetVerdict =
          state.pausedUntil > now
            ? { admitted: false, waitMs: state.pausedUntil - now, heldBy: 'paused', pausedBy: state.pausedBy }
            : (state.budget.take(now, state.key.perMinute) as BudgetVerdict);
        if (verdict instanceof Promise) {
          verdict = await verdict;
          now = this.#clock.now();
        }
        // The head may have given up while an asynchronous budget answered: the send goes to the next in line.
        const waiter = state.queue?.[0];
        if (!waiter) return;
        if (verdict.admitted) {
          state.queue?.shift();
          this.#admitted(state, now);
          const waitedMs = now - waiter.since;
          waiter.resolve(
            waitedMs > 0 && waiter.heldBy
              ? { admittedAt: now, waitedMs, heldBy: waiter.heldBy }
              : { admittedAt: now, waitedMs },
          );
          continue;
        }
        if (verdict.heldBy === 'paused') {
          // Another process's pause (learnt from a shared budget) holds this process's calls too.
          this.#holdUntil(state, now + verdict.waitMs, verdict.pausedBy ?? PAUSED_HERE);
          this.#dropThoseWhoCannotWait(state, state.pausedUntil);
        }
        const held = state.queue?.[0];
        if (!held) return;
        state.heldBy = verdict.heldBy;
        held.heldBy ??= verdict.heldBy;
        state.cancelWake = this.#clock.setTimer(() => {
          state.cancelWake = undefined;
          void this.#pump(state);
        }, verdict.waitMs);
        return;
      }
    } finally {
      state.pumping = false;
    }
  }

  /** Rejects at once the waiters that cannot wait until `resumesAt`. */
  #dropThoseWhoCannotWait(state: KeyState, resumesAt: number): void {
    const queue = state.queue ?? [];
    if (queue.every((waiter) => waiter.giveUpAfter >= resumesAt)) return;
    state.queue = queue.filter((waiter) => waiter.giveUpAfter >= resumesAt);
    for (const waiter of queue) {
      if (waiter.giveUpAfter < resumesAt) waiter.reject(new LimiterPausedError(resumesAt, state.pausedBy));
    }
  }

  #scheduleSweep(): void {
    if (this.#cancelSweep) return;
    this.#cancelSweep = this.#clock.setTimer(
      () => {
        this.#cancelSweep = undefined;
        this.#sweep();
      },
      this.#windowMs,
      true,
    );
  }

  /** Forgets the keys that have nothing in flight, nobody waiting, no pause and no send in the last window. */
  #sweep(): void {
    const now = this.#clock.now();
    for (const [scope, operations] of this.#states) {
      for (const [operationId, state] of operations) {
        const idle =
          state.inFlight === 0 &&
          !state.queue?.length &&
          !state.pumping &&
          state.cancelWake === undefined &&
          state.pausedUntil <= now &&
          state.lastAdmittedAt + this.#windowMs <= now;
        if (idle) {
          operations.delete(operationId);
          this.#keys -= 1;
        }
      }
      if (operations.size === 0) this.#states.delete(scope);
    }
    if (this.#keys > 0) this.#scheduleSweep();
  }
}
