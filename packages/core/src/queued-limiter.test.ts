import { describe, expect, it } from 'vitest';
import { type BudgetCell, SubWindows } from './budget';
import { type LimiterKey, LimiterPausedError } from './limiter';
import { ManualClock } from './manual-clock';
import { QueuedLimiter } from './queued-limiter';

const key = (overrides: Partial<LimiterKey> = {}): LimiterKey => ({
  scope: 'corp',
  operationId: 'op',
  perMinute: 5,
  concurrency: 100,
  ...overrides,
});

function limiterOn(windowMs = 60_000): { limiter: QueuedLimiter; clock: ManualClock } {
  const clock = new ManualClock();
  return { limiter: new QueuedLimiter({ windowMs, clock }), clock };
}

/** Settles with 'pending' when the promise has not settled after a turn of the event loop. */
function state(promise: Promise<unknown>): Promise<'admitted' | 'rejected' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'admitted' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending'))),
  ]);
}

describe('QueuedLimiter', () => {
  it('never admits more than perMinute calls in any window', async () => {
    const windowMs = 60_000;
    const { limiter, clock } = limiterOn(windowMs);
    const admittedAt: number[] = [];
    const calls = Array.from({ length: 12 }, async () => {
      const admission = await limiter.acquire(key());
      limiter.release(key());
      admittedAt.push(admission.admittedAt);
    });
    await clock.advance(3 * windowMs);
    await Promise.all(calls);
    admittedAt.sort((a, b) => a - b);
    for (const [index, time] of admittedAt.entries()) {
      const inWindow = admittedAt.filter((other) => other >= time && other < time + windowMs);
      expect(inWindow.length, `window starting at call ${index}`).toBeLessThanOrEqual(5);
    }
    // 12 calls at 5 per window need two full windows of waiting, and not much more.
    const span = (admittedAt.at(-1) ?? 0) - (admittedAt[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(2 * windowMs);
    expect(span).toBeLessThanOrEqual(2 * windowMs + (2 * windowMs) / 60);
  });

  it('tryAcquire admits at once only when nothing would hold the call back', async () => {
    const { limiter } = limiterOn();
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
    const { limiter, clock } = limiterOn(80_000);
    const tight = key({ perMinute: 1 });
    expect((await limiter.acquire(tight)).heldBy).toBeUndefined();
    limiter.release(tight);
    const second = limiter.acquire(tight);
    await clock.advance(90_000);
    const admission = await second;
    expect(admission.heldBy).toBe('budget');
    expect(admission.waitedMs).toBeGreaterThanOrEqual(80_000);
  });

  it('caps calls in flight per operation and admits waiters in order', async () => {
    const { limiter } = limiterOn();
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
    expect(await state(waiting[0] as Promise<unknown>)).toBe('pending');
    limiter.release(capped);
    await waiting[0];
    expect(order).toEqual([1]);
    limiter.release(capped);
    limiter.release(capped);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it('keeps operations and corps apart', async () => {
    const { limiter } = limiterOn();
    await limiter.acquire(key({ perMinute: 1 }));
    const others = Promise.all([
      limiter.acquire(key({ perMinute: 1, operationId: 'other' })),
      limiter.acquire(key({ perMinute: 1, scope: 'other-corp' })),
    ]);
    expect(await state(others)).toBe('admitted');
    expect(await state(limiter.acquire(key({ perMinute: 1 })))).toBe('pending');
  });

  it('a waiter whose signal aborts leaves the queue with the signal reason', async () => {
    const { limiter, clock } = limiterOn();
    const single = key({ concurrency: 1 });
    await limiter.acquire(single);
    const controller = new AbortController();
    const abandoned = limiter.acquire(single, controller.signal);
    const next = limiter.acquire(single);
    controller.abort(new Error('gave up'));
    await expect(abandoned).rejects.toThrow('gave up');
    await clock.advance(10);
    limiter.release(single);
    await expect(next).resolves.toMatchObject({ heldBy: 'concurrency' });
  });

  it('pause holds every call of the operation until it ends', async () => {
    const { limiter, clock } = limiterOn();
    const resumesAt = limiter.pause(key(), 100);
    expect(resumesAt).toBe(clock.now() + 100);
    const pending = limiter.acquire(key());
    await clock.advance(99);
    expect(await state(pending)).toBe('pending');
    await clock.advance(1);
    const admission = await pending;
    expect(admission.heldBy).toBe('paused');
    expect(admission.admittedAt).toBe(resumesAt);
  });

  it('turns away at once the waiters that cannot wait for the pause to end, saying who paused', async () => {
    const { limiter, clock } = limiterOn();
    const single = key({ concurrency: 1 });
    await limiter.acquire(single);
    const now = clock.now();
    const patient = limiter.acquire(single, undefined, { giveUpAfter: now + 10_000 });
    const hurried = limiter.acquire(single, undefined, { giveUpAfter: now + 1_000 });
    limiter.pause(single, 200);
    limiter.pause(single, 5_000);
    limiter.release(single);
    await expect(hurried).rejects.toBeInstanceOf(LimiterPausedError);
    await expect(hurried).rejects.toMatchObject({
      resumesAt: now + 5_000,
      pausedBy: expect.stringContaining('this process'),
    });
    expect(await state(patient)).toBe('pending');
    await clock.advance(5_000);
    expect(await state(patient)).toBe('admitted');
  });

  it('forgets a key within two windows of its last send, and keeps busy ones', async () => {
    const windowMs = 60_000;
    const { limiter, clock } = limiterOn(windowMs);
    for (let corp = 0; corp < 1_000; corp++) {
      limiter.tryAcquire(key({ scope: `corp${corp}` }));
      limiter.release(key({ scope: `corp${corp}` }));
    }
    const busy = key({ scope: 'busy', concurrency: 1 });
    limiter.tryAcquire(busy);
    expect(limiter.size).toBe(1_001);
    await clock.advance(windowMs / 2);
    expect(limiter.size, 'sent within the window: kept').toBe(1_001);
    await clock.advance((3 * windowMs) / 2);
    expect(limiter.size, 'only the key with a call in flight stays').toBe(1);
    limiter.release(busy);
    await clock.advance(2 * windowMs);
    expect(limiter.size).toBe(0);
    expect(clock.pendingTimers, 'no sweep is armed for an empty limiter').toBe(0);
  });

  it('an evicted key starts again with its whole budget: nothing of the last window is lost', async () => {
    const windowMs = 60_000;
    const { limiter, clock } = limiterOn(windowMs);
    const tight = key({ perMinute: 2 });
    for (let call = 0; call < 2; call++) {
      limiter.tryAcquire(tight);
      limiter.release(tight);
    }
    expect(limiter.tryAcquire(tight)).toBeUndefined();
    await clock.advance(windowMs / 2);
    expect(limiter.size, 'spent within the window: kept').toBe(1);
    expect(limiter.tryAcquire(tight)).toBeUndefined();
    await clock.advance(windowMs);
    expect(limiter.tryAcquire(tight)).toMatchObject({ waitedMs: 0 });
  });
});

describe('the in-process budget (counters per sub-window)', () => {
  it('never lets any window hold more than perMinute sends, whatever the arrival times', () => {
    const windowMs = 61_000;
    const perMinute = 50;
    const windows = new SubWindows(windowMs, 0);
    const cell: BudgetCell = { total: 0, single: 0, slots: undefined };
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const admitted: number[] = [];
    for (let now = 0; now < 20 * windowMs; now += Math.floor(random() * 1_500)) {
      if (windows.take(cell, now, perMinute).admitted) admitted.push(now);
    }
    let first = 0;
    for (let last = 0; last < admitted.length; last++) {
      while ((admitted[first] as number) <= (admitted[last] as number) - windowMs) first++;
      expect(last - first + 1).toBeLessThanOrEqual(perMinute);
    }
    // Exact enough: the sub-windows cost at most one sixtieth of the throughput.
    expect(admitted.length).toBeGreaterThan(20 * perMinute * (59 / 61));
  });

  it('says how long until budget frees up', () => {
    const windows = new SubWindows(60_000, 0);
    const cell: BudgetCell = { total: 0, single: 0, slots: undefined };
    expect(windows.take(cell, 0, 1)).toEqual({ admitted: true });
    expect(windows.take(cell, 30_000, 1)).toEqual({ admitted: false, waitMs: 31_000, heldBy: 'budget' });
    expect(windows.take(cell, 61_000, 1)).toEqual({ admitted: true });
    expect(cell.slots, 'sends in one sub-window at a time need no array').toBeUndefined();
  });
});
