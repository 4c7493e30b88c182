import { type Budget, type BudgetCell, type BudgetVerdict, localBudget } from './budget';
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

/** What a key holds only while calls wait or a 45009 pause lasts; most keys never need it. */
interface Hold {
  /** The latest caller's key: its limits apply (an operation's perMinute may differ between clients). */
  key: LimiterKey;
  queue: Waiter[];
  /** What last held the head of the queue back; a call that queues behind it waits for the same. */
  heldBy: Admission['heldBy'];
  pausedUntil: number;
  pausedBy: string;
  /** A pump is running (it may be waiting for an asynchronous budget). */
  pumping: boolean;
  /** Disarms the timer that wakes the pump when budget or a pause frees up. */
  cancelWake: (() => void) | undefined;
}

/** Everything known about one (corp, operation), its budget's counts included; dropped once idle for a whole window. */
interface KeyState extends BudgetCell {
  inFlight: number;
  hold: Hold | undefined;
}

const PAUSED_HERE = 'paused by this process after WeCom answered 45009';

/**
 * The one rate limiter: per (corp, operation) a FIFO queue, a cap on calls in flight and the
 * 45009 pause, over a pluggable Budget that counts sends (in process, or shared through Redis).
 * State per key is O(1) in the number of sends and a few dozen bytes when nothing waits, and a
 * key idle for a whole window is forgotten, so a process serving thousands of corps holds only
 * what the last window needs.
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
    this.#clock = options.clock ?? systemClock;
    this.#budget = options.budget ?? localBudget(this.#windowMs, this.#clock.now());
  }

  /** How many (corp, operation) keys are held; idle ones leave within two windows. */
  get size(): number {
    return this.#keys;
  }

  tryAcquire(key: LimiterKey): Admission | undefined {
    if (!this.#budget.synchronous) return undefined;
    const state = this.#state(key);
    if (state.inFlight >= key.concurrency) return undefined;
    const now = this.#clock.now();
    const { hold } = state;
    if (hold && (hold.queue.length > 0 || hold.pausedUntil > now)) return undefined;
    const verdict = this.#budget.take(key, state, now) as BudgetVerdict;
    if (!verdict.admitted) return undefined;
    state.inFlight += 1;
    return { admittedAt: now, waitedMs: 0 };
  }

  acquire(key: LimiterKey, signal?: AbortSignal, options: AcquireOptions = {}): Promise<Admission> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = this.#state(key);
    const hold = this.#holdOf(state, key);
    return new Promise<Admission>((resolve, reject) => {
      const onAbort = () => {
        hold.queue = hold.queue.filter((queued) => queued !== waiter);
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
      if (hold.queue.length > 0) waiter.heldBy = hold.heldBy;
      hold.queue.push(waiter);
      this.#pump(state);
    });
  }

  release(key: LimiterKey): void {
    const state = this.#state(key);
    state.inFlight = Math.max(0, state.inFlight - 1);
    if (state.hold?.queue.length) this.#pump(state);
  }

  pause(key: LimiterKey, ms: number): number {
    const state = this.#state(key);
    const hold = this.#holdOf(state, key);
    this.#pauseUntil(hold, this.#clock.now() + ms, PAUSED_HERE);
    this.#budget.pause?.(key, ms);
    return hold.pausedUntil;
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
        total: 0,
        single: 0,
        slots: undefined,
        inFlight: 0,
        hold: undefined,
      };
      operations.set(key.operationId, state);
      this.#keys += 1;
      this.#scheduleSweep();
    } else if (state.hold) {
      state.hold.key = key;
    }
    return state;
  }

  #holdOf(state: KeyState, key: LimiterKey): Hold {
    state.hold ??= {
      key,
      queue: [],
      heldBy: undefined,
      pausedUntil: 0,
      pausedBy: PAUSED_HERE,
      pumping: false,
      cancelWake: undefined,
    };
    return state.hold;
  }

  #pauseUntil(hold: Hold, until: number, pausedBy: string): void {
    if (until <= hold.pausedUntil) return;
    hold.pausedUntil = until;
    hold.pausedBy = pausedBy;
  }

  /** Admits the head of the queue whenever concurrency, the pause and the budget allow; one loop per key. */
  async #pump(state: KeyState): Promise<void> {
    const { hold } = state;
    if (!hold || hold.pumping) return;
    hold.pumping = true;
    hold.cancelWake?.();
    hold.cancelWake = undefined;
    try {
      for (;;) {
        const head = hold.queue[0];
        if (!head) return;
        if (state.inFlight >= hold.key.concurrency) {
          hold.heldBy = 'concurrency';
          head.heldBy ??= 'concurrency';
          return;
        }
        let now = this.#clock.now();
        let verdict: BudgetVerdict | Promise<BudgetVerdict> =
          hold.pausedUntil > now
            ? { admitted: false, waitMs: hold.pausedUntil - now, heldBy: 'paused', pausedBy: hold.pausedBy }
            : this.#budget.take(hold.key, state, now);
        if (verdict instanceof Promise) {
          verdict = await verdict;
          now = this.#clock.now();
        }
        // The head may have given up while an asynchronous budget answered: the send goes to the next in line.
        const waiter = hold.queue[0];
        if (!waiter) return;
        if (verdict.admitted) {
          hold.queue.shift();
          state.inFlight += 1;
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
          this.#pauseUntil(hold, now + verdict.waitMs, verdict.pausedBy ?? PAUSED_HERE);
          this.#dropThoseWhoCannotWait(hold);
        }
        const held = hold.queue[0];
        if (!held) return;
        hold.heldBy = verdict.heldBy;
        held.heldBy ??= verdict.heldBy;
        hold.cancelWake = this.#clock.setTimer(() => {
          hold.cancelWake = undefined;
          void this.#pump(state);
        }, verdict.waitMs);
        return;
      }
    } finally {
      hold.pumping = false;
    }
  }

  /** Rejects at once the waiters that cannot wait until the pause ends. */
  #dropThoseWhoCannotWait(hold: Hold): void {
    const resumesAt = hold.pausedUntil;
    if (hold.queue.every((waiter) => waiter.giveUpAfter >= resumesAt)) return;
    const queue = hold.queue;
    hold.queue = queue.filter((waiter) => waiter.giveUpAfter >= resumesAt);
    for (const waiter of queue) {
      if (waiter.giveUpAfter < resumesAt) waiter.reject(new LimiterPausedError(resumesAt, hold.pausedBy));
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

  /** Forgets the keys with nothing in flight, nobody waiting, no pause and no send counted in the window. */
  #sweep(): void {
    const now = this.#clock.now();
    for (const [scope, operations] of this.#states) {
      for (const [operationId, state] of operations) {
        if (state.inFlight > 0 || !this.#budget.idle(state, now)) continue;
        const { hold } = state;
        if (hold && (hold.queue.length > 0 || hold.pumping || hold.cancelWake || hold.pausedUntil > now)) {
          continue;
        }
        operations.delete(operationId);
        this.#keys -= 1;
      }
      if (operations.size === 0) this.#states.delete(scope);
    }
    if (this.#keys > 0) this.#scheduleSweep();
  }
}
