import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WecomEvent } from '../events';
import type { LimiterKey } from '../limiter';
import { type RunningCluster, startRedisCluster } from '../testing/redis-cluster';
import { budgetKeys, createRedisRateLimiter } from './redis-rate-limiter';
import { createRedisTokenStore } from './redis-token-store';

let cluster: RunningCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.close());

const key = (overrides: Partial<LimiterKey> = {}): LimiterKey => ({
  scope: 'ww-cluster-corp',
  operationId: 'getExternalContact',
  perMinute: 5,
  concurrency: 100,
  ...overrides,
});

const token = (accessToken: string) => ({
  accessToken,
  expiresAt: Date.now() + 60_000,
  refreshAt: Date.now() + 30_000,
});

describe('on a real 3-node Redis Cluster', () => {
  it('the token store shares tokens and its lock between processes', async () => {
    // A generous command timeout: on a loaded machine a slow first answer must not look like an outage.
    const one = createRedisTokenStore({ client: cluster.connect(), commandTimeoutMs: 5_000 });
    const two = createRedisTokenStore({ client: cluster.connect(), commandTimeoutMs: 5_000 });
    await one.set('wecom:token:ww-cluster:-:abc', token('tok-1'));
    expect(await two.get('wecom:token:ww-cluster:-:abc')).toMatchObject({ accessToken: 'tok-1' });
    expect(await two.invalidate('wecom:token:ww-cluster:-:abc', 'tok-1')).toBe(true);
    expect(await one.get('wecom:token:ww-cluster:-:abc')).toBeUndefined();
    const lock = await one.acquireRefreshLock?.('wecom:token:ww-cluster:-:abc', 5_000);
    expect(lock).toBeDefined();
    expect(await two.acquireRefreshLock?.('wecom:token:ww-cluster:-:abc', 5_000)).toBeUndefined();
    await lock?.release();
    expect(one.usingFallback || two.usingFallback).toBe(false);
  });

  it('the limiter keeps one budget in one slot: no CROSSSLOT, and two processes share it', async () => {
    const events: WecomEvent[] = [];
    const options = {
      windowMs: 60_000,
      commandTimeoutMs: 5_000,
      onEvent: (event: WecomEvent) => events.push(event),
    };
    const first = createRedisRateLimiter({ client: cluster.connect(), ...options });
    const second = createRedisRateLimiter({ client: cluster.connect(), ...options });
    const budget = key({ operationId: 'sharedBudget' });
    const { counters, pause } = budgetKeys('', budget);
    expect(await cluster.portOf(counters)).toBe(await cluster.portOf(pause));
    for (let call = 0; call < 5; call++) {
      const limiter = call % 2 === 0 ? first : second;
      await limiter.acquire(budget);
      limiter.release(budget);
    }
    // The sixth send would exceed 5 per window, whichever process asks.
    await expect(second.acquire(budget, AbortSignal.timeout(300))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(first.pause(budget, 1_000)).toBeGreaterThan(Date.now());
    expect(events.filter((event) => event.type === 'redis-fallback')).toEqual([]);
    expect(first.usingFallback || second.usingFallback).toBe(false);
  });

  it('a restarted node: calls go on per process meanwhile, then return to the shared budget', async () => {
    const events: WecomEvent[] = [];
    const limiter = createRedisRateLimiter({
      client: cluster.connect(),
      windowMs: 60_000,
      commandTimeoutMs: 300,
      retryRedisAfterMs: 200,
      onEvent: (event) => events.push(event),
    });
    const budget = key({ operationId: 'restarted', perMinute: 1_000 });
    const port = await cluster.portOf(budgetKeys('', budget).counters);
    await limiter.acquire(budget);
    limiter.release(budget);
    await cluster.stop(port);
    // Admitted by the per-process budget while the node that holds the shared one is down.
    await limiter.acquire(budget);
    limiter.release(budget);
    expect(limiter.usingFallback).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'redis-fallback', phase: 'enter' }));
    await cluster.restart(port);
    await expect
      .poll(
        async () => {
          await limiter.acquire(budget);
          limiter.release(budget);
          return limiter.usingFallback;
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ type: 'redis-fallback', phase: 'exit' }));
  }, 60_000);
});
