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
 * What a budget counts for one key in this process, kept inside the limiter's own state of the key
 * (no object of its own: a process may hold hundreds of thousands of keys). Pairs of
 * (sub-window, sends) oldest first; while sends fall in one sub-window, `single` holds it and no
 * array is made.
 */
export interface BudgetCell {
  total: number;
  single: number;
  slots: number[] | undefined;
}

/**
 * The counting half of a rate limiter: how many sends one (corp, operation) may still make in
 * the window. The QueuedLimiter does the rest (queue, concurrency cap, pauses, eviction), so an
 * in-process budget and one shared through Redis behave the same way.
 */
export interface Budget {
  /** True when `take` always answers synchronously, which lets calls skip the queue's promise. */
  readonly synchronous: boolean;
  /** Counts one send of `key` at `now` if the window has room for it under `key.perMinute`. */
  take(key: LimiterKey, cell: BudgetCell, now: number): BudgetVerdict | Promise<BudgetVerdict>;
  /** True when `cell` counts no send of the last window, so the key may be forgotten. */
  idle(cell: BudgetCell, now: number): boolean;
  /** Shares a 45009 pause of `ms` with whoever else uses this budget (other processes). */
  pause?(key: LimiterKey, ms: number): void;
}

/** Sub-windows per window: a send is counted in a slot of windowMs/60, so the budget errs by at most that much. */
export const SUB_WINDOWS = 60;

export const ADMITTED: BudgetVerdict = { admitted: true };

/**
 * Counts sends per sub-window of `windowMs / SUB_WINDOWS` and admits one only while the
 * sub-windows that overlap the last `windowMs` hold fewer than `perMinute`. A sub-window is
 * counted whole while any part of it is in the window, so no window of `windowMs` ever holds more
 * than `perMinute` sends; the price is at most one sub-window of waiting. A cell holds at most
 * SUB_WINDOWS + 2 pairs, however many sends it counts.
 */
export class SubWindows {
  readonly #ms: number;
  readonly #slotMs: number;
  /** Sub-windows are numbered from here, so the numbers stay small integers instead of doubles near 1.7e9. */
  readonly #epochSlot: number;

  constructor(windowMs: number, now: number = Date.now()) {
    this.#ms = windowMs;
    this.#slotMs = windowMs / SUB_WINDOWS;
    this.#epochSlot = Math.floor(now / this.#slotMs);
  }

  take(cell: BudgetCell, now: number, perMinute: number): BudgetVerdict {
    this.#expire(cell, now);
    if (cell.total >= perMinute) {
      const oldest = cell.slots ? (cell.slots[0] as number) : cell.single;
      return {
        admitted: false,
        waitMs: Math.max(1, Math.ceil((oldest + this.#epochSlot + 1) * this.#slotMs + this.#ms - now)),
        heldBy: 'budget',
      };
    }
    const current = Math.floor(now / this.#slotMs) - this.#epochSlot;
    const { slots } = cell;
    if (slots) {
      if (slots[slots.length - 2] === current)
        slots[slots.length - 1] = (slots[slots.length - 1] as number) + 1;
      else slots.push(current, 1);
    } else if (cell.total > 0 && cell.single !== current) {
      cell.slots = [cell.single, cell.total, current, 1];
    } else {
      cell.single = current;
    }
    cell.total += 1;
    return ADMITTED;
  }

  idle(cell: BudgetCell, now: number): boolean {
    this.#expire(cell, now);
    return cell.total === 0;
  }

  /** Drops the sub-windows that end at or before now - windowMs: they hold no send of the current window. */
  #expire(cell: BudgetCell, now: number): void {
    if (cell.total === 0) return;
    const firstCounted = Math.floor((now - this.#ms) / this.#slotMs) - this.#epochSlot;
    const { slots } = cell;
    if (!slots) {
      if (cell.single < firstCounted) cell.total = 0;
      return;
    }
    let drop = 0;
    while (drop < slots.length && (slots[drop] as number) < firstCounted) {
      cell.total -= slots[drop + 1] as number;
      drop += 2;
    }
    if (drop === slots.length) cell.slots = undefined;
    else if (drop > 0) slots.splice(0, drop);
  }
}

/** The in-process budget: counters per sub-window in each key's cell. */
export function localBudget(windowMs: number, now?: number): Budget {
  const windows = new SubWindows(windowMs, now);
  return {
    synchronous: true,
    take: (key, cell, at) => windows.take(cell, at, key.perMinute),
    idle: (cell, at) => windows.idle(cell, at),
  };
}
