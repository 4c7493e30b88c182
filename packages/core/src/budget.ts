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
  /** True when no send of the last window is counted here, so the key may be forgotten. Default: true. */
  idle?(now: number): boolean;
}

/** Sub-windows per window: a send is counted in a slot of windowMs/60, so the budget errs by at most that much. */
export const SUB_WINDOWS = 60;

/** What the counters of one budget share: a window, the length of its sub-windows, and where their count starts. */
interface Window {
  readonly ms: number;
  readonly slotMs: number;
  /**
   * Sub-windows are numbered from here, so the numbers stay small integers (kept unboxed by the
   * engine) instead of doubles near 1.7e9.
   */
  readonly epochSlot: number;
}

/**
 * Counts sends per sub-window of `windowMs / SUB_WINDOWS` and admits one only while the
 * sub-windows that overlap the last `windowMs` hold fewer than `perMinute`. A sub-window is
 * counted whole while any part of it is in the window, so no window of `windowMs` ever holds more
 * than `perMinute` sends; the price is at most one sub-window of waiting. Memory is bounded by the
 * number of sub-windows that saw a send (at most SUB_WINDOWS + 2), not by the number of sends;
 * a key whose sends fall in one sub-window holds no array at all.
 */
export class SubWindowCounter implements KeyBudget {
  readonly #window: Window;
  #total = 0;
  /** The one sub-window that holds sends, while there is only one (most keys): no array needed. */
  #single = 0;
  /** Pairs of (sub-window, sends), oldest first, once sends fall in more than one sub-window. */
  #slots: number[] | undefined;

  constructor(window: Window) {
    this.#window = window;
  }

  take(now: number, perMinute: number): BudgetVerdict {
    const { ms, slotMs, epochSlot } = this.#window;
    this.#expire(now);
    if (this.#total >= perMinute) {
      const oldest = this.#slots ? (this.#slots[0] as number) : this.#single;
      return {
        admitted: false,
        waitMs: Math.max(1, Math.ceil((oldest + epochSlot + 1) * slotMs + ms - now)),
        heldBy: 'budget',
      };
    }
    const current = Math.floor(now / slotMs) - epochSlot;
    const slots = this.#slots;
    if (slots) {
      if (slots[slots.length - 2] === current)
        slots[slots.length - 1] = (slots[slots.length - 1] as number) + 1;
      else slots.push(current, 1);
    } else if (this.#total > 0 && this.#single !== current) {
      this.#slots = [this.#single, this.#total, current, 1];
    } else {
      this.#single = current;
    }
    this.#total += 1;
    return ADMITTED;
  }

  idle(now: number): boolean {
    this.#expire(now);
    return this.#total === 0;
  }

  /** Drops the sub-windows that end at or before now - windowMs: they hold no send of the current window. */
  #expire(now: number): void {
    if (this.#total === 0) return;
    const { ms, slotMs, epochSlot } = this.#window;
    const firstCounted = Math.floor((now - ms) / slotMs) - epochSlot;
    const slots = this.#slots;
    if (!slots) {
      if (this.#single < firstCounted) this.#total = 0;
      return;
    }
    let drop = 0;
    while (drop < slots.length && (slots[drop] as number) < firstCounted) {
      this.#total -= slots[drop + 1] as number;
      drop += 2;
    }
    if (drop === slots.length) this.#slots = undefined;
    else if (drop > 0) slots.splice(0, drop);
  }
}

export const ADMITTED: BudgetVerdict = { admitted: true };

/** The in-process budget: one SubWindowCounter per key. */
export function localBudget(windowMs: number, now: number = Date.now()): Budget {
  const slotMs = windowMs / SUB_WINDOWS;
  const window: Window = { ms: windowMs, slotMs, epochSlot: Math.floor(now / slotMs) };
  return { synchronous: true, forKey: () => new SubWindowCounter(window) };
}
