/**
 * Remembers which deliveries were already accepted. A store shared between processes (Redis's
 * `SET key 1 NX EX ttl`, for instance) makes duplicates across a cluster delivered once too.
 */
export interface CallbackDedupeStore {
  /** Records `key` for `ttlSeconds` unless it is already recorded; true when this call recorded it. */
  claim(key: string, ttlSeconds: number): boolean | Promise<boolean>;
  /** Forgets `key`, so that WeCom's next retry of a delivery whose handler failed is delivered. */
  release(key: string): void | Promise<void>;
}

export interface MemoryDedupeStoreOptions {
  /** Keys kept at most; the oldest go first when a flood exceeds it. Default 10,000. */
  maxEntries?: number;
}

/** A per-process store: enough for a single instance. */
export function createMemoryDedupeStore({
  maxEntries = 10_000,
}: MemoryDedupeStoreOptions = {}): CallbackDedupeStore {
  // Insertion order is expiry order while the TTL stays the same, so expired keys sit at the front.
  const expiries = new Map<string, number>();

  const sweep = (now: number) => {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > now && expiries.size < maxEntries) break;
      expiries.delete(key);
    }
  };

  return {
    claim(key, ttlSeconds) {
      const now = Date.now();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > now) return false;
      expiries.delete(key);
      sweep(now);
      expiries.set(key, now + ttlSeconds * 1000);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
  };
}
