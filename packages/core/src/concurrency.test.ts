import { describe, expect, it } from 'vitest';
import { mapConcurrent } from './concurrency';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
  it('keeps the order of the input and never exceeds the concurrency', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrent(
      [30, 5, 20, 1, 10, 2],
      async (ms, index) => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(ms);
        running -= 1;
        return `${index}:${ms}`;
      },
      { concurrency: 2 },
    );
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
    expect(peak).toBe(2);
  });

  it('stops starting work after the first failure and aborts the calls in flight', async () => {
    const started: number[] = [];
    let abortedInFlight = false;
    const failure = new Error('item 1 failed');
    await expect(
      mapConcurrent(
        [0, 1, 2, 3, 4],
        async (item, _index, signal) => {
          started.push(item);
          if (item === 1) throw failure;
          await sleep(50);
          abortedInFlight ||= signal.aborted;
          return item;
        },
        { concurrency: 2 },
      ),
    ).rejects.toBe(failure);
    expect(started).toEqual([0, 1]);
    expect(abortedInFlight).toBe(true);
  });

  it("rejects with the caller's abort reason", async () => {
    const controller = new AbortController();
    const pending = mapConcurrent([1, 2, 3], () => sleep(50), { signal: controller.signal, concurrency: 1 });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });

  it('handles an empty list', async () => {
    expect(await mapConcurrent([], async () => 1)).toEqual([]);
  });
});
