import { MemoryTokenStore } from '../token/memory-store';
import type { RefreshLock, StoredToken, TokenStore } from '../token/store';
import { connectRedis, type RedisConnectionConfig, type RedisConnectionOptions } from './connection';

export type RedisTokenStoreOptions = RedisConnectionOptions;
export type RedisTokenStoreConfig = RedisConnectionConfig;

export interface RedisTokenStore extends TokenStore {
  /** True while Redis is failing and tokens are kept per process. */
  readonly usingFallback: boolean;
  /** Closes the Redis connection if the store opened it (not a client that was passed in). */
  close(): Promise<void>;
}

// Compare-and-delete: only the token (or lock owner) the caller saw is removed, never a newer one.
// Data it cannot read (another type, not JSON) is not the caller's token: nothing is deleted, and
// the script does not fail (a failing script would look like a Redis outage).
const DELETE_IF_TOKEN = `
local current = redis.pcall('GET', KEYS[1])
if type(current) ~= 'string' then return 0 end
local ok, token = pcall(cjson.decode, current)
if ok and type(token) == 'table' and token.accessToken == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const DELETE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Tokens shared by every process through Redis: the token with a TTL, and a refresh lock
 * (SET NX PX, released by compare-and-delete) so that one process calls gettoken while the others
 * wait for its result. When Redis fails, the store keeps working per process from an in-memory
 * copy (announced by a 'redis-fallback' event) and tries Redis again a little later.
 */
export function createRedisTokenStore(config: RedisTokenStoreConfig): RedisTokenStore {
  const connection = connectRedis(config);
  const { redis, prefix, withRedis } = connection;
  const reportRepaired = (key: string, problem: 'wrong-type' | 'unparsable') =>
    connection.emit({ type: 'redis-repaired', key: tokenKey(key), problem });
  // What this process last knew of each token, for when Redis is down. Kept synchronously so that
  // concurrent answers cannot interleave: an older answer never replaces a newer token.
  const copies = new Map<string, StoredToken>();
  // Stands in for the Redis lock while Redis is down: refreshes are then single-flight per process.
  const localLocks = new MemoryTokenStore();

  const tokenKey = (key: string) => `${prefix}${key}`;
  const lockKey = (key: string) => `${prefix}${key}:refresh-lock`;

  function remember(key: string, token: StoredToken): void {
    const copy = copies.get(key);
    if (!copy || token.expiresAt >= copy.expiresAt) copies.set(key, token);
  }

  function recall(key: string): StoredToken | undefined {
    const copy = copies.get(key);
    if (copy && copy.expiresAt <= Date.now()) copies.delete(key);
    return copies.get(key);
  }

  function forget(key: string, accessToken: string): boolean {
    if (copies.get(key)?.accessToken !== accessToken) return false;
    copies.delete(key);
    return true;
  }

  return {
    get usingFallback() {
      return connection.usingFallback;
    },

    get: (key) =>
      withRedis(
        async () => {
          const raw = await redis.get(tokenKey(key)).catch((error: unknown) => {
            // Another type under the key is bad data, not an outage: treat it as no token (the
            // next set overwrites it) instead of falling back for ever.
            if (!String((error as Error)?.message).startsWith('WRONGTYPE')) throw error;
            reportRepaired(key, 'wrong-type');
            return null;
          });
          const token = parseToken(raw);
          if (raw !== null && !token) reportRepaired(key, 'unparsable');
          if (token) remember(key, token);
          return token;
        },
        async () => recall(key),
      ),

    async set(key, token) {
      copies.set(key, token);
      const ttlMs = Math.max(1, Math.ceil(token.expiresAt - Date.now()));
      await withRedis(
        async () => {
          await redis.set(tokenKey(key), JSON.stringify(token), 'PX', ttlMs);
        },
        async () => {},
      );
    },

    async invalidate(key, accessToken) {
      const removedLocally = forget(key, accessToken);
      return withRedis(
        async () => (await redis.eval(DELETE_IF_TOKEN, 1, tokenKey(key), accessToken)) === 1,
        async () => removedLocally,
      );
    },

    acquireRefreshLock: (key, ttlMs) =>
      withRedis<RefreshLock | undefined>(
        async () => {
          const owner = crypto.randomUUID();
          const acquired = await redis.set(lockKey(key), owner, 'PX', Math.ceil(ttlMs), 'NX');
          if (acquired !== 'OK') return undefined;
          return {
            // If Redis is gone by then, the lock simply expires after its TTL.
            release: () =>
              withRedis(
                async () => {
                  await redis.eval(DELETE_IF_OWNER, 1, lockKey(key), owner);
                },
                async () => {},
              ),
          };
        },
        () => localLocks.acquireRefreshLock(key, ttlMs),
      ),

    subscribe: (listener) => connection.subscribe(listener),
    close: () => connection.close(),
  };
}

function parseToken(raw: string | null): StoredToken | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredToken>;
    if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return undefined;
    return {
      accessToken: value.accessToken,
      expiresAt: value.expiresAt,
      refreshAt: value.refreshAt ?? value.expiresAt,
    };
  } catch {
    return undefined;
  }
}
