import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryDedupeStore } from './dedupe';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createMemoryDedupeStore', () => {
  it('claims a key once until it expires', () => {
    const store = createMemoryDedupeStore();
    expect(store.claim('a', 10)).toBe(true);
    expect(store.claim('a', 10)).toBe(false);
    vi.setSystemTime(10_001);
    expect(store.claim('a', 10)).toBe(true);
  });

  it('lets a released key be claimed again', () => {
    const store = createMemoryDedupeStore();
    store.claim('a', 10);
    store.release('a');
    expect(store.claim('a', 10)).toBe(true);
  });

  it('forgets the oldest keys beyond maxEntries', () => {
    const store = createMemoryDedupeStore({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) store.claim(key, 60);
    expect(store.claim('c', 60)).toBe(false);
    expect(store.claim('a', 60)).toBe(true);
  });
});
