import type { LimiterKey } from './limiter';

/** What a budget answers when asked to count one more send. */
export type BudgetVerdict =
  | { readonly admitted: true }
  | {
      readonly admitted: false;
      /** How long until asking again can succeed. */
      readonly waitMs: number;
      readonly heldBy: 'budget' | 'paused';
      /** For a pause: who set it, said in the error of a call that cannot wait for it. */
      readonly pausedBy?: string;
    };

/**
 * The counting half of a rate limiter: how many sends one (corp, operation) may still make in
 * the window. The QueuedLimiter does the rest (queue, concurrency cap, pauses, eviction), so an
 * in-process budget and one shared through Redis behave the same way.
 */
export interface Budget {
  /** True when `take` always answers synchronously, which lets calls skip the queue's promise. */
  readonly synchronous: boolean;
  /** The counters of one key; dropped with the key once it has been idle for a whole window. */
  forKey(key: LimiterKey): KeyBudget;
}

export interface KeyBudget {
  /** Counts one send at `now` if the window has room for it under `perMinute`. */
  take(now: number, perMinute: number): BudgetVerdict | Promise<BudgetVerdict>;
  /** Shares a 45009 pause of `ms` with whoever else uses this budget (other processes). */
  pause?(ms: number): void;
}

/** Sub-windows per window: a send is counted in a slot of windowMs/60, so the budget errs by at most that much. */
export const SUB_WINDOWS = 60;

/**
 * Counts sends per sub-window of `windowMs / SUB_WINDOWS` and admits one only while the
 * sub-windows that overlap the last `windowMs` hold fewer than `perMinute`. A sub-window is
 * counted whole while any part of it is in the window, so no window of `windowMs` ever holds more
 * than `perMinute` sends; the price is at most one sub-window of waiting. Memory is bounded by the
 * number of sub-windows that saw a send (at most SUB_WINDOWS + 2), not by the number of sends.
 */
export class SubWindowCounter implements KeyBudget {
  readonly #windowMs: number;
  readonly #slotMs: number;
  /** Pairs of (sub-window index, sends), oldest first; only sub-windows that saw a send. */
  readonly #slots: number[] = [];
  #total = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
    this.#slotMs = windowMs / SUB_WINDOWS;
  }

  take(now: number, perMinute: number): BudgetVerdict {
    const slots = this.#slots;
    // Sub-windows that end at or before now - windowMs hold no send of the current window.
    const firstCounted = Math.floor((now - this.#windowMs) / this.#slotMs);
    while (slots.length > 0 && (slots[0] as number) < firstCounted) {
      this.#total -= slots[1] as number;
      slots.splice(0, 2);
    }
    if (this.#total >= perMinute) {
      const oldest = slots[0] as number;
      return {
        admitted: false,
        waitMs: Math.max(1, Math.ceil((oldest + 1) * this.#slotMs + this.#windowMs - now)),
        heldBy: 'budget',
      };
    }
    const current = Math.floor(now / this.#slotMs);
    if (slots.length > 0 && slots[slots.length - 2] === current) {
      slots[slots.length - 1] = (slots[slots.length - 1] as number) + 1;
    } else {
      slots.push(current, 1);
    }
    this.#total += 1;
    return ADMITTED;
  }
}

export const ADMITTED: BudgetVerdict = { admitted: true };

/** The in-process budget: one SubWindowCounter per key. */
export function localBudget(windowMs: number): Budget {
  return { synchronous: true, forKey: () => new SubWindowCounter(windowMs) };
}
