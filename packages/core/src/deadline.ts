import type { Clock } from './clock';

/**
 * When a call gives up, whatever attempt it is on (`retry.deadlineMs` after it started). Waiting
 * for rate-limit budget is pacing, not failure: the limit gate extends the deadline by as long as
 * a call queued, so a bulk job queued behind a spent minute still runs.
 */
export class CallDeadline {
  readonly ms: number;
  readonly #clock: Clock;
  #at: number;

  constructor(ms: number, clock: Clock) {
    this.ms = ms;
    this.#clock = clock;
    this.#at = clock.now() + ms;
  }

  get at(): number {
    return this.#at;
  }

  remainingMs(): number {
    return Math.max(0, this.#at - this.#clock.now());
  }

  /** The call waited `ms` for rate-limit budget: that wait does not count. */
  extend(ms: number): void {
    this.#at += ms;
  }
}
