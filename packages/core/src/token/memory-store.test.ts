import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from './memory-store';

const token = (accessToken: string, lifetimeMs = 60_000) => ({
  accessToken,
  expiresAt: Date.now() + lifetimeMs,
  refreshAt: Date.now() + lifetimeMs / 2,
});

describe('MemoryTokenStore', () => {
  it('forgets tokens past expiresAt', async () => {
    const store = new MemoryTokenStore();
    await store.set('k', token('a', 20));
    expect(await store.get('k')).toMatchObject({ accessToken: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await store.get('k')).toBeUndefined();
  });

  it('invalidates only the token it was asked about', async () => {
    const store = new MemoryTokenStore();
    await store.set('k', token('new'));
    expect(await store.invalidate('k', 'old')).toBe(false);
    expect(await store.get('k')).toMatchObject({ accessToken: 'new' });
    expect(await store.invalidate('k', 'new')).toBe(true);
    expect(await store.get('k')).toBeUndefined();
  });

  it('grants one refresh lock per key until it is released or expires', async () => {
    const store = new MemoryTokenStore();
    const lock = await store.acquireRefreshLock('k', 50);
    expect(lock).toBeDefined();
    expect(await store.acquireRefreshLock('k', 50)).toBeUndefined();
    expect(await store.acquireRefreshLock('other', 50)).toBeDefined();
    await lock?.release();
    const second = await store.acquireRefreshLock('k', 20);
    expect(second).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await store.acquireRefreshLock('k', 20)).toBeDefined();
    // Releasing an expired lock must not free the one a later owner holds.
    await second?.release();
    expect(await store.acquireRefreshLock('k', 20)).toBeUndefined();
  });
});
