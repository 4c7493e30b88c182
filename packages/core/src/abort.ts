import { type Clock, systemClock } from './clock';

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (the timer is cleared then). */
export function sleep(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts. The promise
 * itself keeps running: it may be shared with other callers (single-flight) who still want it.
 */
export function raceSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A signal that aborts when any of the given ones does; undefined entries are ignored. */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/** What a timed-out wait or HTTP exchange rejects with. */
export function timeoutError(what: string): DOMException {
  return new DOMException(`${what} timed out.`, 'TimeoutError');
}

export function isTimeoutError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

export interface Timer {
  /** Aborts when the time is up (with a TimeoutError) or when the caller's signal aborts. */
  readonly signal: AbortSignal;
  timedOut(): boolean;
  /** Disarms the timer once the wait is over (AbortSignal.timeout would keep it armed, and cost, for its whole span). */
  end(): void;
}

export function startTimer(
  ms: number,
  callerSignal: AbortSignal | undefined,
  what: string,
  clock: Clock = systemClock,
): Timer {
  const timeout = new AbortController();
  const end = clock.setTimer(() => timeout.abort(timeoutError(what)), ms);
  return {
    signal: anySignal([callerSignal, timeout.signal]) as AbortSignal,
    timedOut: () => timeout.signal.aborted,
    end,
  };
}
