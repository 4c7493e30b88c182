import { anySignal } from './abort';

export interface MapConcurrentOptions {
  /** How many `fn` calls run at once. Default 4. */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls at a time and resolves to the results in
 * the order of `items`. The first failure (or the signal) stops new calls from starting and aborts
 * the signal handed to the calls still running.
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T>,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  options: MapConcurrentOptions = {},
): Promise<R[]> {
  const list = Array.from(items);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const stop = new AbortController();
  const signal = anySignal([options.signal, stop.signal]) as AbortSignal;
  const results = new Array<R>(list.length);
  let next = 0;

  async function worker(): Promise<void> {
    while (next < list.length) {
      signal.throwIfAborted();
      const index = next;
      next += 1;
      results[index] = await fn(list[index] as T, index, signal);
    }
  }

  const workers = Array.from({ length: Math.min(concurrency, list.length) }, () =>
    worker().catch((error: unknown) => {
      stop.abort(error);
      throw error;
    }),
  );
  const settled = await Promise.allSettled(workers);
  if (options.signal?.aborted) throw options.signal.reason;
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw stop.signal.aborted ? stop.signal.reason : failed.reason;
  return results;
}
