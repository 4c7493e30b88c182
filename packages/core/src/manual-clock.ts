import type { Clock } from './clock';

interface PendingTimer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

/** One turn of the event loop, so that what a timer started (promises, I/O callbacks) can run. */
const turn = () =>
  new Promise<void>((resolve) => (globalThis.setImmediate ?? globalThis.setTimeout)(() => resolve()));

/**
 * A clock that moves only when told to: `advance` runs the timers that fall due, in order, with a
 * turn of the event loop after each. Tests and the tenant benchmark use it to cross minutes of
 * rate-limit windows, pauses and idle eviction without waiting for them.
 */
export class ManualClock implements Clock {
  #now: number;
  #order = 0;
  #timers: PendingTimer[] = [];

  constructor(startAt = Date.UTC(2026, 0, 1)) {
    this.#now = startAt;
  }

  readonly now = (): number => this.#now;

  readonly setTimer = (callback: () => void, ms: number): (() => void) => {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), order: this.#order++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((pending) => pending !== timer);
    };
  };

  /** Timers armed and not yet run. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    await turn();
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.at <= until)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
      await turn();
    }
    this.#now = until;
  }
}
