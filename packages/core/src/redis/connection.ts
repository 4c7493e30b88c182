import { type Cluster, Redis } from 'ioredis';
import { createEventSink, type EventSink, type WecomEvent } from '../events';
import { redact } from '../redact';

export interface RedisConnectionOptions {
  /** Put in front of every key, e.g. to share one Redis between environments. Default none. */
  keyPrefix?: string;
  /** A Redis command slower than this counts as a Redis failure. Default 500 ms. */
  commandTimeoutMs?: number;
  /** After a failure, how long to work per process before Redis is tried again. Default 1 s. */
  retryRedisAfterMs?: number;
  /** Also receives the 'redis-fallback' events (a transport using the store forwards them too). */
  onEvent?: (event: WecomEvent) => void;
}

/** `client` may be a Cluster: the keys a script touches share a hash tag, so they sit in one slot. */
export type RedisConnectionConfig = ({ url: string } | { client: Redis | Cluster }) & RedisConnectionOptions;

/** A Redis connection whose commands fall back to per-process behaviour while Redis fails. */
export interface RedisConnection {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  /** True while Redis is failing and the fallback answers. */
  readonly usingFallback: boolean;
  /** Runs a Redis command; on failure or timeout runs `fallback` instead, and keeps doing so for a while. */
  withRedis<T>(command: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T>;
  subscribe(listener: EventSink): () => void;
  /** Reports to every listener, e.g. that a key of the wrong type was replaced. */
  emit(event: WecomEvent): void;
  /** Closes the connection if it was opened here (not a client that was passed in). */
  close(): Promise<void>;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_RETRY_REDIS_AFTER_MS = 1_000;

export function connectRedis(config: RedisConnectionConfig): RedisConnection {
  const ownsClient = 'url' in config;
  const redis =
    'url' in config
      ? new Redis(config.url, {
          // A failing Redis should make commands fail fast, so the caller can fall back.
          maxRetriesPerRequest: 1,
          connectTimeout: 1_000,
          retryStrategy: (times) => Math.min(times * 200, 2_000),
        })
      : config.client;
  // Without a listener ioredis prints every failed reconnect; failures are handled per command instead.
  if (ownsClient) redis.on('error', () => {});

  const commandTimeoutMs = config.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const retryRedisAfterMs = config.retryRedisAfterMs ?? DEFAULT_RETRY_REDIS_AFTER_MS;
  const listeners = new Set<EventSink>([createEventSink(config.onEvent)]);
  let fallingBack = false;
  let retryRedisAt = 0;

  const emit = (event: WecomEvent) => {
    for (const listener of listeners) listener(event);
  };

  return {
    redis,
    prefix: config.keyPrefix ?? '',
    get usingFallback() {
      return fallingBack;
    },

    async withRedis(command, fallback) {
      if (fallingBack) {
        if (Date.now() < retryRedisAt) return fallback();
        // One caller probes Redis; the others keep using the per-process fallback meanwhile.
        retryRedisAt = Date.now() + retryRedisAfterMs;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      let grace: ReturnType<typeof setImmediate> | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // After a stalled event loop the timer runs before the I/O phase that holds Redis's answer;
            // one more turn lets an answer that already arrived win instead of faking an outage.
            grace = setImmediate(() =>
              reject(new Error(`Redis did not answer within ${commandTimeoutMs} ms`)),
            );
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
    },

    emit,

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
