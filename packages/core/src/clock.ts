/**
 * Where the runtime reads the time and arms its timers. Everything that waits takes one, so that
 * tests (and the tenant benchmark) move time instead of sleeping through it.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Calls `callback` after `ms`; the returned function disarms it. A `background` timer does not
   * keep the process alive (a housekeeping sweep, not a call someone waits for).
   */
  setTimer(callback: () => void, ms: number, background?: boolean): () => void;
}

/** The real clock. It reads `Date.now` and the timer functions at each use, so fake timers apply too. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms, background) {
    const timer = setTimeout(callback, Math.max(0, ms));
    if (background) (timer as { unref?: () => void }).unref?.();
    return () => clearTimeout(timer);
  },
};
