// The queue of calls waiting for admission, shared by the in-process and the Redis limiter.
import type { AcquireOptions, Admission } from './limiter';

/** The operation is paused (after a 45009) until after the time the caller could wait. */
export class LimiterPausedError extends Error {
  override name = 'LimiterPausedError';
  readonly resumesAt: number;

  constructor(resumesAt: number) {
    super(`The operation is paused until ${new Date(resumesAt).toISOString()}.`);
    this.resumesAt = resumesAt;
  }
}

export interface Waiter {
  readonly since: number;
  readonly giveUpAfter: number;
  admitted: boolean;
  heldBy?: Admission['heldBy'];
  readonly resolve: (admission: Admission) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * A call waiting for admission: `join` puts it in a queue, and if `signal` aborts first, `leave`
 * takes it out and the promise rejects with the signal's reason. It settles exactly once.
 */
export function waitForAdmission(
  signal: AbortSignal | undefined,
  options: AcquireOptions,
  join: (waiter: Waiter) => void,
  leave: (waiter: Waiter) => void,
): Promise<Admission> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Admission>((resolve, reject) => {
    const onAbort = () => {
      leave(waiter);
      reject(signal?.reason);
    };
    const waiter: Waiter = {
      since: Date.now(),
      giveUpAfter: options.giveUpAfter ?? Number.POSITIVE_INFINITY,
      admitted: false,
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
    join(waiter);
  });
}

/** Admits a waiter at `now`, saying what held it back if it had to wait. */
export function admitWaiter(waiter: Waiter, now: number): void {
  waiter.admitted = true;
  const waitedMs = now - waiter.since;
  waiter.resolve(
    waitedMs > 0 && waiter.heldBy
      ? { admittedAt: now, waitedMs, heldBy: waiter.heldBy }
      : { admittedAt: now, waitedMs },
  );
}

/** Rejects the waiters that cannot wait until `resumesAt`; returns those that stay. */
export function dropThoseWhoCannotWait(queue: Waiter[], resumesAt: number): Waiter[] {
  const staying = queue.filter((waiter) => waiter.giveUpAfter >= resumesAt);
  if (staying.length === queue.length) return queue;
  for (const waiter of queue)
    if (waiter.giveUpAfter < resumesAt) waiter.reject(new LimiterPausedError(resumesAt));
  return staying;
}
