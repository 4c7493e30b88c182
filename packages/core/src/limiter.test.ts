import { describe, expect, it } from 'vitest';
import { type LimiterKey, LimiterPausedError, SlidingWindowLimiter } from './limiter';

const key = (overrides: Partial<LimiterKey> = {}): LimiterKey => ({
  scope: 'corp',
  operationId: 'op',
  perMinute: 5,
  concurrency: 100,
  ...overrides,
});

describe('SlidingWindowLimiter', () => {
  it('never admits more than perMinute calls in any window', async () => {
    const windowMs = 150;
    const limiter = new SlidingWindowLimiter({ windowMs });
    // The limiter's own admission times: the test may resume later than the limiter decided.
    const admittedAt = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const admission = await limiter.acquire(key());
        limiter.release(key());
        return admission.admittedAt;
      }),
    );
    admittedAt.sort((a, b) => a - b);
    for (const [index, time] of admittedAt.entries()) {
      const inWindow = admittedAt.filter((other) => other >= time && other < time + windowMs);
      expect(inWindow.length, `window starting at call ${index}`).toBeLessThanOrEqual(5);
    }
    // 12 calls at 5 per window need two full windows of waiting.
    expect((admittedAt.at(-1) ?? 0) - (admittedAt[0] ?? 0)).toBeGreaterThanOrEqual(2 * windowMs);
  });

  it('tryAcquire admits at once only when nothing would hold the call back', async () => {
    const limiter = new SlidingWindowLimiter({ windowMs: 60_000 });
    const pair = key({ perMinute: 2, concurrency: 1 });
    expect(limiter.tryAcquire(pair)).toMatchObject({ waitedMs: 0 });
    expect(limiter.tryAcquire(pair), 'concurrency cap reached').toBeUndefined();
    limiter.release(pair);
    expect(limiter.tryAcquire(pair)).toMatchObject({ waitedMs: 0 });
    limiter.release(pair);
    expect(limiter.tryAcquire(pair), 'budget spent').toBeUndefined();
    const paused = key({ operationId: 'paused' });
    limiter.pause(paused, 60_000);
    expect(limiter.tryAcquire(paused), 'paused after a 45009').toBeUndefined();
    const queued = key({ operationId: 'queued', concurrency: 1 });
    limiter.tryAcquire(queued);
    const waiting = limiter.acquire(queued);
    limiter.release(queued);
    await waiting;
    expect(limiter.tryAcquire(queued), 'the queued call got the slot first').toBeUndefined();
  });

  it('reports what held a call back and for how long', async () => {
    const limiter = new SlidingWindowLimiter({ windowMs: 80 });
    const tight = key({ perMinute: 1 });
    expect((await limiter.acquire(tight)).heldBy).toBeUndefined();
    limiter.release(tight);
    const admission = await limiter.acquire(tight);
    expect(admission.heldBy).toBe('budget');
    expect(admission.waitedMs).toBeGreaterThanOrEqual(60);
  });

  it('caps calls in flight per operation and admits waiters in order', async () => {
    const limiter = new SlidingWindowLimiter();
    const capped = key({ perMinute: 1000, concurrency: 2 });
    const order: number[] = [];
    await limiter.acquire(capped);
    await limiter.acquire(capped);
    const waiting = [1, 2, 3].map((n) =>
      limiter.acquire(capped).then((admission) => {
        order.push(n);
        return admission;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    limiter.release(capped);
    await waiting[0];
    expect(order).toEqual([1]);
    limiter.release(capped);
    limiter.release(capped);
    const admissions = await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(admissions[0]?.heldBy).toBe('concurrency');
  });

  it('keeps operations and corps apart', async () => {
    const limiter = new SlidingWindowLimiter({ windowMs: 10_000 });
    await limiter.acquire(key({ perMinute: 1 }));
    const other = await Promise.race([
      Promise.all([
        limiter.acquire(key({ perMinute: 1, operationId: 'other' })),
        limiter.acquire(key({ perMinute: 1, scope: 'other-corp' })),
      ]).then(() => 'admitted'),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 50)),
    ]);
    expect(other).toBe('admitted');
  });

  it('a waiter whose signal aborts leaves the queue with the signal reason', async () => {
    const limiter = new SlidingWindowLimiter();
    const single = key({ concurrency: 1 });
    await limiter.acquire(single);
    const controller = new AbortController();
    const abandoned = limiter.acquire(single, controller.signal);
    const next = limiter.acquire(single);
    controller.abort(new Error('gave up'));
    await expect(abandoned).rejects.toThrow('gave up');
    limiter.release(single);
    await expect(next).resolves.toMatchObject({ heldBy: 'concurrency' });
  });

  it('pause holds every call of the operation until it ends', async () => {
    const limiter = new SlidingWindowLimiter();
    const resumesAt = limiter.pause(key(), 100);
    expect(resumesAt).toBeGreaterThan(Date.now() + 50);
    const admission = await limiter.acquire(key());
    expect(admission.heldBy).toBe('paused');
    expect(Date.now()).toBeGreaterThanOrEqual(resumesAt);
  });
});

describe('SlidingWindowLimiter pauses', () => {
  it('turns away at once the waiters that cannot wait for the pause to end', async () => {
    const limiter = new SlidingWindowLimiter();
    const single = key({ concurrency: 1 });
    await limiter.acquire(single);
    const now = Date.now();
    const patient = limiter.acquire(single, undefined, { giveUpAfter: now + 10_000 });
    const hurried = limiter.acquire(single, undefined, { giveUpAfter: now + 1_000 });
    const resumesAt = limiter.pause(single, 200);
    limiter.pause(single, 5_000);
    limiter.release(single);
    await expect(hurried).rejects.toBeInstanceOf(LimiterPausedError);
    await expect(hurried).rejects.toMatchObject({ resumesAt: expect.any(Number) });
    expect(resumesAt).toBeLessThan(now + 1_000);
    // The patient waiter is still queued: admit it by checking it has not been rejected.
    const outcome = await Promise.race([
      patient.then(
        () => 'admitted',
        () => 'rejected',
      ),
      sleep(50).then(() => 'waiting'),
    ]);
    expect(outcome).toBe('waiting');
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
