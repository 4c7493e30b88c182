import { Redis } from 'ioredis';
import { createEventSink, type EventSink, type WecomEvent } from '../events';
import { redact } from '../redact';
import { MemoryTokenStore } from '../token/memory-store';
import type { RefreshLock, StoredToken, TokenStore } from '../token/store';

export interface RedisTokenStoreOptions {
  /** Put in front of every key, e.g. to share one Redis between environments. Default none. */
  keyPrefix?: string;
  /** A Redis command slower than this counts as a Redis failure. Default 500 ms. */
  commandTimeoutMs?: number;
  /** After a failure, how long tokens stay per process before Redis is tried again. Default 1 s. */
  retryRedisAfterMs?: number;
  /** Also receives the store's 'redis-fallback' events (a transport using the store forwards them too). */
  onEvent?: (event: WecomEvent) => void;
}

export type RedisTokenStoreConfig = ({ url: string } | { client: Redis }) & RedisTokenStoreOptions;

export interface RedisTokenStore extends TokenStore {
  /** True while Redis is failing and tokens are kept per process. */
  readonly usingFallback: boolean;
  /** Closes the Redis connection if the store opened it (not a client that was passed in). */
  close(): Promise<void>;
}

// Compare-and-delete: only the token (or lock owner) the caller saw is removed, never a newer one.
const DELETE_IF_TOKEN = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).accessToken == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const DELETE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_RETRY_REDIS_AFTER_MS = 1_000;

/**
 * Tokens shared by every process through Redis: the token with a TTL, and a refresh lock
 * (SET NX PX, released by compare-and-delete) so that one process calls gettoken while the others
 * wait for its result. When Redis fails, the store keeps working per process from an in-memory
 * copy (announced by a 'redis-fallback' event) and tries Redis again a little later.
 */
export function createRedisTokenStore(config: RedisTokenStoreConfig): RedisTokenStore {
  const ownsClient = 'url' in config;
  const redis =
    'url' in config
      ? new Redis(config.url, {
          // A failing Redis should make commands fail fast, so the store can fall back.
          maxRetriesPerRequest: 1,
          connectTimeout: 1_000,
          retryStrategy: (times) => Math.min(times * 200, 2_000),
        })
      : config.client;
  // Without a listener ioredis prints every failed reconnect; failures are handled per command instead.
  if (ownsClient) redis.on('error', () => {});

  const prefix = config.keyPrefix ?? '';
  const commandTimeoutMs = config.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const retryRedisAfterMs = config.retryRedisAfterMs ?? DEFAULT_RETRY_REDIS_AFTER_MS;
  // What this process last knew of each token, for when Redis is down. Kept synchronously so that
  // concurrent answers cannot interleave: an older answer never replaces a newer token.
  const copies = new Map<string, StoredToken>();
  // Stands in for the Redis lock while Redis is down: refreshes are then single-flight per process.
  const localLocks = new MemoryTokenStore();
  const listeners = new Set<EventSink>([createEventSink(config.onEvent)]);
  let fallingBack = false;
  let retryRedisAt = 0;

  const emit = (event: WecomEvent) => {
    for (const listener of listeners) listener(event);
  };

  /** Runs a Redis command; on failure or timeout switches to the per-process copy for a while. */
  async function withRedis<T>(command: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (fallingBack) {
      if (Date.now() < retryRedisAt) return fallback();
      // One caller probes Redis; the others keep using the per-process copy meanwhile.
      retryRedisAt = Date.now() + retryRedisAfterMs;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let grace: ReturnType<typeof setImmediate> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // After a stalled event loop the timer runs before the I/O phase that holds Redis's answer;
          // one more turn lets an answer that already arrived win instead of faking an outage.
          grace = setImmediate(() => reject(new Error(`Redis did not answer within ${commandTimeoutMs} ms`)));
        }, commandTimeoutMs);
      });
      const result = await Promise.race([command(), timeout]);
      if (fallingBack) {
        fallingBack = false;
        emit({ type: 'redis-fallback', phase: 'exit' });
      }
      return result;
    } catch (error) {
      retryRedisAt = Date.now() + retryRedisAfterMs;
      if (!fallingBack) {
        fallingBack = true;
        emit({
          type: 'redis-fallback',
          phase: 'enter',
          error: redact(error instanceof Error ? error.message : String(error)),
        });
      }
      return fallback();
    } finally {
      clearTimeout(timer);
      if (grace) clearImmediate(grace);
    }
  }

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
      return fallingBack;
    },

    get: (key) =>
      withRedis(
        async () => {
          const token = parseToken(await redis.get(tokenKey(key)));
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

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close() {
      if (!ownsClient) return;
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
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
