import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { WecomEvent } from '../events';
import { observe } from '../testing/audit';
import { useRedis } from '../testing/redis-fixture';
import { createRedisTokenStore } from './redis-token-store';

const redis = useRedis();

const token = (accessToken: string, lifetimeMs = 60_000) => ({
  accessToken,
  expiresAt: Date.now() + lifetimeMs,
  refreshAt: Date.now() + lifetimeMs / 2,
});

describe('createRedisTokenStore on a real Redis', () => {
  it('stores the token with a TTL ending at expiresAt', async () => {
    const store = createRedisTokenStore({ url: redis.url, keyPrefix: 'test1:' });
    await store.set('wecom:token:ww:-:abc', token('tok-a', 5_000));
    expect(await store.get('wecom:token:ww:-:abc')).toMatchObject({ accessToken: 'tok-a' });
    const ttl = await redis.inspector.pttl('test1:wecom:token:ww:-:abc');
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    await store.close();
  });

  it('shares tokens between stores (processes) and invalidates compare-and-swap', async () => {
    const one = createRedisTokenStore({ url: redis.url, keyPrefix: 'test2:' });
    const two = createRedisTokenStore({ url: redis.url, keyPrefix: 'test2:' });
    await one.set('k', token('old'));
    expect(await two.get('k')).toMatchObject({ accessToken: 'old' });
    await two.set('k', token('new'));
    expect(await one.invalidate('k', 'old')).toBe(false);
    expect(await one.get('k')).toMatchObject({ accessToken: 'new' });
    expect(await one.invalidate('k', 'new')).toBe(true);
    expect(await two.get('k')).toBeUndefined();
    await Promise.all([one.close(), two.close()]);
  });

  it('grants the refresh lock to one store at a time; release deletes only its own lock', async () => {
    const one = createRedisTokenStore({ url: redis.url, keyPrefix: 'test3:' });
    const two = createRedisTokenStore({ url: redis.url, keyPrefix: 'test3:' });
    const held = await one.acquireRefreshLock?.('k', 100);
    expect(held).toBeDefined();
    expect(await two.acquireRefreshLock?.('k', 100)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const taken = await two.acquireRefreshLock?.('k', 1_000);
    expect(taken).toBeDefined();
    // The first holder's lock expired; releasing it late must not free the second holder's.
    await held?.release();
    expect(await one.acquireRefreshLock?.('k', 1_000)).toBeUndefined();
    await taken?.release();
    expect(await one.acquireRefreshLock?.('k', 1_000)).toBeDefined();
    await Promise.all([one.close(), two.close()]);
  });

  it.each([
    ['another type (WRONGTYPE)', 'wrong-type', (key: string) => redis.inspector.hset(key, 'field', 'value')],
    ['a value that is not a token', 'unparsable', (key: string) => redis.inspector.set(key, '{not json')],
  ] as const)(
    'treats %s under the token key as missing, says so, and overwrites it',
    async (_name, reason, plant) => {
      const events: WecomEvent[] = [];
      const store = createRedisTokenStore({
        url: redis.url,
        keyPrefix: `bad-${reason}:`,
        onEvent: (event) => events.push(event),
      });
      await plant(`bad-${reason}:k`);
      expect(await store.get('k')).toBeUndefined();
      expect(await store.invalidate('k', 'tok-x')).toBe(false);
      await store.set('k', token('tok-fresh'));
      expect(await store.get('k')).toMatchObject({ accessToken: 'tok-fresh' });
      expect(store.usingFallback).toBe(false);
      expect(events).toContainEqual({ type: 'redis-repaired', key: `bad-${reason}:k`, problem: reason });
      expect(events.filter((event) => event.type === 'redis-fallback')).toEqual([]);
      await store.close();
    },
  );

  it('works with a client that was passed in, and leaves it open', async () => {
    const client = new Redis(redis.url);
    const store = createRedisTokenStore({ client, keyPrefix: 'test4:' });
    await store.set('k', token('t'));
    expect(await store.get('k')).toMatchObject({ accessToken: 't' });
    await store.close();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});

describe('when Redis is unreachable', () => {
  it('falls back to the newest token this process saw, not the last answer it got', async () => {
    const client = new Redis(redis.url);
    const store = createRedisTokenStore({
      client,
      keyPrefix: 'test5:',
      commandTimeoutMs: 200,
      onEvent: observe,
    });
    await store.set('k', token('newer', 60_000));
    // Answers that arrive out of order: an older token, then none at all.
    await redis.inspector.set('test5:k', JSON.stringify(token('older', 30_000)), 'PX', 30_000);
    expect(await store.get('k')).toMatchObject({ accessToken: 'older' });
    await redis.inspector.del('test5:k');
    expect(await store.get('k')).toBeUndefined();
    client.disconnect();
    expect(await store.get('k')).toMatchObject({ accessToken: 'newer' });
    expect(store.usingFallback).toBe(true);
    // Only a compare-and-swap invalidation removes the copy.
    expect(await store.invalidate('k', 'older')).toBe(false);
    expect(await store.invalidate('k', 'newer')).toBe(true);
    expect(await store.get('k')).toBeUndefined();
  });

  it('keeps working per process and says so once with a redis-fallback event', async () => {
    const events: WecomEvent[] = [];
    const store = createRedisTokenStore({
      url: 'redis://127.0.0.1:1',
      commandTimeoutMs: 200,
      onEvent: (event) => {
        events.push(event);
        observe(event);
      },
    });
    await store.set('k', token('local'));
    expect(await store.get('k')).toMatchObject({ accessToken: 'local' });
    expect(await store.acquireRefreshLock?.('k', 1_000)).toBeDefined();
    expect(await store.acquireRefreshLock?.('k', 1_000)).toBeUndefined();
    expect(store.usingFallback).toBe(true);
    expect(events).toEqual([{ type: 'redis-fallback', phase: 'enter', error: expect.any(String) }]);
    await store.close();
  });
});

it('a stalled event loop is not mistaken for a Redis outage', async () => {
  const events: WecomEvent[] = [];
  const store = createRedisTokenStore({
    url: redis.url,
    commandTimeoutMs: 50,
    onEvent: (event) => events.push(event),
  });
  await store.get('warm-up');
  const pending = store.get('k');
  // Block the event loop far past the command timeout, long enough for Redis (another process,
  // maybe slowed by a busy machine) to have answered: the answer then waits in the socket.
  const until = Date.now() + 1_000;
  while (Date.now() < until) {
    // busy wait on purpose
  }
  await pending;
  expect(events).toEqual([]);
  expect(store.usingFallback).toBe(false);
  await store.close();
});
