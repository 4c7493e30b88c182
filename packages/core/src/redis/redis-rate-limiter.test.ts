import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WecomEvent } from '../events';
import { type LimiterKey, LimiterPausedError } from '../limiter';
import { type RunningRedis, startRedis } from '../testing/redis-server';
import { readInput, readOp, transportFor } from '../testing/transport-fixtures';
import { FakeWecom, READ_PATH } from '../testing/wecom-server';
import { budgetKeys, createRedisRateLimiter, type RedisRateLimiter } from './redis-rate-limiter';

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const key = (overrides: Partial<LimiterKey> = {}): LimiterKey => ({
  scope: 'ww-corp',
  operationId: 'getMomentComments',
  perMinute: 5,
  concurrency: 100,
  ...overrides,
});

/** Two limiters on separate connections, as two processes of one service would have. */
function twoProcesses(prefix: string, windowMs: number): [RedisRateLimiter, RedisRateLimiter] {
  const options = { url: redis.url, keyPrefix: prefix, windowMs, pollMs: 20 };
  return [createRedisRateLimiter(options), createRedisRateLimiter(options)];
}

describe('createRedisRateLimiter on a real Redis', () => {
  it('shares one budget between processes: no window ever holds more than perMinute sends', async () => {
    const windowMs = 300;
    const limiters = twoProcesses('budget:', windowMs);
    const admittedAt = await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const limiter = limiters[index % 2] as RedisRateLimiter;
        const admission = await limiter.acquire(key());
        limiter.release(key());
        return admission.admittedAt;
      }),
    );
    admittedAt.sort((a, b) => a - b);
    // Slack: the window is Redis's clock, admission times are when each answer reached its process.
    const slackMs = 100;
    // No window holds more than 5 sends: any send comes at least a window after the 5th before it.
    for (let index = 5; index < admittedAt.length; index++) {
      const gap = (admittedAt[index] as number) - (admittedAt[index - 5] as number);
      expect(gap).toBeGreaterThanOrEqual(windowMs - slackMs);
    }
    await Promise.all(limiters.map((limiter) => limiter.close()));
  });

  it('a 45009 pause in one process holds the other, and who cannot wait that long is told at once', async () => {
    const [first, second] = twoProcesses('pause:', 60_000);
    const until = first.pause(key(), 1_000);
    expect(until).toBeGreaterThan(Date.now());
    const inspector = new Redis(redis.url);
    while (!(await inspector.exists(budgetKeys('pause:', key()).pause))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    inspector.disconnect();
    const hurried = second.acquire(key(), undefined, { giveUpAfter: Date.now() + 50 });
    await expect(hurried).rejects.toBeInstanceOf(LimiterPausedError);
    await expect(hurried).rejects.toMatchObject({
      pausedBy: expect.stringContaining('Redis key pause:wecom:rate:{ww-corp:getMomentComments}:paused'),
    });
    const patient = await second.acquire(key());
    expect(patient.heldBy).toBe('paused');
    expect(Date.now()).toBeGreaterThanOrEqual(until - 100);
    await Promise.all([first.close(), second.close()]);
  });

  it('caps calls in flight per process and admits in order', async () => {
    const limiter = createRedisRateLimiter({ url: redis.url, keyPrefix: 'order:', pollMs: 20 });
    const capped = key({ perMinute: 100, concurrency: 1 });
    const order: number[] = [];
    await limiter.acquire(capped);
    const queued = [1, 2, 3].map((n) => limiter.acquire(capped).then(() => order.push(n)));
    for (let n = 0; n < 3; n++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      limiter.release(capped);
    }
    await Promise.all(queued);
    expect(order).toEqual([1, 2, 3]);
    await limiter.close();
  });

  it('an aborted wait leaves the queue at once', async () => {
    const [first] = twoProcesses('abort:', 60_000);
    const tight = key({ perMinute: 1 });
    await first.acquire(tight);
    const controller = new AbortController();
    const waiting = first.acquire(tight, controller.signal);
    controller.abort(new Error('caller left'));
    await expect(waiting).rejects.toThrow('caller left');
    await first.close();
  });

  it('keeps a per-process budget while Redis is down, and says so', async () => {
    const events: WecomEvent[] = [];
    const limiter = createRedisRateLimiter({
      url: 'redis://127.0.0.1:1',
      windowMs: 60_000,
      commandTimeoutMs: 100,
      onEvent: (event) => events.push(event),
    });
    const tight = key({ perMinute: 2 });
    await limiter.acquire(tight);
    await limiter.acquire(tight);
    const third = limiter.acquire(tight, AbortSignal.timeout(300));
    await expect(third).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(limiter.usingFallback).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'redis-fallback', phase: 'enter' }));
    await limiter.close();
  });
});

describe('Redis data the limiter did not write', () => {
  const cases: [problem: string, plant: (inspector: Redis, pause: string) => Promise<unknown>][] = [
    ['wrong-type', (inspector, pause) => inspector.lpush(pause, 'x')],
    ['unparsable', (inspector, pause) => inspector.set(pause, 'soon')],
  ];
  it.each(cases)(
    'a pause value that is %s counts as no pause, is overwritten and reported',
    async (problem, plant) => {
      const events: WecomEvent[] = [];
      const limiter = createRedisRateLimiter({
        url: redis.url,
        keyPrefix: `repair-${problem}:`,
        onEvent: (event) => events.push(event),
      });
      const { pause } = budgetKeys(`repair-${problem}:`, key());
      const inspector = new Redis(redis.url);
      await plant(inspector, pause);
      await expect(limiter.acquire(key())).resolves.toMatchObject({ waitedMs: expect.any(Number) });
      limiter.release(key());
      expect(limiter.usingFallback, 'bad data is not an outage').toBe(false);
      expect(events).toEqual([{ type: 'redis-repaired', key: pause, problem }]);
      expect(await inspector.exists(pause)).toBe(0);
      inspector.disconnect();
      await limiter.close();
    },
  );

  it('a pause further away than the 45009 window is cut to it', async () => {
    const events: WecomEvent[] = [];
    const limiter = createRedisRateLimiter({
      url: redis.url,
      keyPrefix: 'clamp:',
      maxPauseMs: 60_000,
      onEvent: (event) => events.push(event),
    });
    const { pause } = budgetKeys('clamp:', key());
    const inspector = new Redis(redis.url);
    await inspector.set(pause, String(Date.now() + 365 * 86_400_000));
    const error = await limiter
      .acquire(key(), undefined, { giveUpAfter: Date.now() + 1_000 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LimiterPausedError);
    const { resumesAt } = error as LimiterPausedError;
    expect(resumesAt).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(events).toEqual([{ type: 'redis-repaired', key: pause, problem: 'out-of-range' }]);
    expect(await inspector.pttl(pause)).toBeLessThanOrEqual(60_000);
    inspector.disconnect();
    await limiter.close();
  });

  it("a budget key of another type (an older version's sorted set) is replaced", async () => {
    const events: WecomEvent[] = [];
    const limiter = createRedisRateLimiter({
      url: redis.url,
      keyPrefix: 'zset:',
      onEvent: (event) => events.push(event),
    });
    const { counters } = budgetKeys('zset:', key());
    const inspector = new Redis(redis.url);
    await inspector.zadd(counters, 1, 'old-member');
    await limiter.acquire(key());
    limiter.release(key());
    expect(events).toEqual([{ type: 'redis-repaired', key: counters, problem: 'wrong-type' }]);
    expect(await inspector.type(counters)).toBe('hash');
    inspector.disconnect();
    await limiter.close();
  });
});

describe('Redis memory per budget', () => {
  it('stays under 8 KB for a budget with sends in every sub-window', async () => {
    // The sends take longer than the 300 ms window: every sub-window holds some when memory is read.
    const limiter = createRedisRateLimiter({ url: redis.url, keyPrefix: 'memory:', windowMs: 300 });
    const busy = key({ perMinute: 10_000, concurrency: 1_000 });
    for (let send = 0; send < 1_000; send++) {
      await limiter.acquire(busy);
      limiter.release(busy);
    }
    const inspector = new Redis(redis.url);
    const bytes = Number(
      await inspector.call('MEMORY', 'USAGE', budgetKeys('memory:', busy).counters, 'SAMPLES', '0'),
    );
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(8 * 1024);
    inspector.disconnect();
    await limiter.close();
  });
});

describe('two transports sharing a Redis limiter', () => {
  it('together stay under one quota: no 45009 from a server that allows 5 per window', async () => {
    const fake = await FakeWecom.start({ rateLimits: { [READ_PATH]: { calls: 5, windowMs: 300 } } });
    // The client window is longer than the server's, as the default one is: delays shift arrival times.
    const limiters = twoProcesses('transports:', 500);
    const transports = limiters.map(
      (limiter) =>
        transportFor(fake, { rateLimit: { perMinute: 5, windowMs: 500, limiter }, retry: false }).transport,
    );
    const bodies = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        (transports[index % 2] as (typeof transports)[number]).exchange(readOp, readInput),
      ),
    );
    expect(bodies.map(({ body }) => body.errcode)).toEqual(Array(12).fill(0));
    await Promise.all(limiters.map((limiter) => limiter.close()));
    await fake.close();
  });
});
