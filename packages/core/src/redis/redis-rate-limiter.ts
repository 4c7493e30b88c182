import { sleep } from '../abort';
import {
  type AcquireOptions,
  type Admission,
  DEFAULT_RATE_LIMIT_OPTIONS,
  type LimiterKey,
  type RateLimiter,
  SlidingWindowLimiter,
} from '../limiter';
import { admitWaiter, dropThoseWhoCannotWait, type Waiter, waitForAdmission } from '../limiter-queue';
import { connectRedis, type RedisConnectionConfig } from './connection';

export type RedisRateLimiterConfig = RedisConnectionConfig & {
  /** Length of the budget window; must match the transport's `rateLimit.windowMs`. Default 61 s. */
  windowMs?: number;
  /** Longest pause between two looks at a spent budget. Default 250 ms. */
  pollMs?: number;
};

export interface RedisRateLimiter extends RateLimiter {
  /** True while Redis is failing and each process keeps its own budget. */
  readonly usingFallback: boolean;
  /** Closes the Redis connection if the limiter opened it (not a client that was passed in). */
  close(): Promise<void>;
}

// The send log of one (corp, operation) as a sorted set of send times, and its pause as a key.
// Redis's clock decides, so that processes whose clocks disagree still share one window.
// Answers { 0 } (admitted), { 1, ms } (paused for ms more) or { 2, ms } (budget free in ms).
const ADMIT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then return {1, pausedUntil - now} end
local windowMs = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], windowMs)
  return {0, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {2, tonumber(oldest[2]) + windowMs - now}`;

// Extends the pause to at least ARGV[1] ms from now; answers how long it now lasts.
const PAUSE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local untilMs = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], untilMs, 'PX', untilMs - now)
return untilMs - now`;

const DEFAULT_POLL_MS = 250;

interface KeyState {
  key: LimiterKey;
  queue: Waiter[];
  inFlight: number;
  /** What this process knows of a 45009 pause; other processes learn it through Redis. */
  pausedUntil: number;
  pumping: boolean;
}

type Verdict = { admitted: true } | { admitted: false; waitMs: number; heldBy: 'budget' | 'paused' };

/**
 * A rate limiter whose per-minute budgets and 45009 pauses are shared by every process through
 * Redis, so that several instances of a service together stay under WeCom's per-corp limits.
 * Calls of one process are admitted in order; the concurrency cap (against 45033) is per process.
 * While Redis fails, each process keeps its own budget (a 'redis-fallback' event says so).
 */
export function createRedisRateLimiter(config: RedisRateLimiterConfig): RedisRateLimiter {
  const connection = connectRedis(config);
  const { redis, prefix, withRedis } = connection;
  const windowMs = config.windowMs ?? DEFAULT_RATE_LIMIT_OPTIONS.windowMs;
  const pollMs = config.pollMs ?? DEFAULT_POLL_MS;
  const fallback = new SlidingWindowLimiter({ windowMs });
  const member = `${crypto.randomUUID()}:`;
  let sends = 0;
  const states = new Map<string, KeyState>();

  const redisKey = (key: LimiterKey) => `${prefix}wecom:rate:${key.scope}:${key.operationId}`;

  function stateOf(key: LimiterKey): KeyState {
    const id = `${key.scope}\u0000${key.operationId}`;
    let state = states.get(id);
    if (!state) {
      state = { key, queue: [], inFlight: 0, pausedUntil: 0, pumping: false };
      states.set(id, state);
    }
    state.key = key;
    return state;
  }

  /** Counts one send against the shared budget if it has room. */
  async function tryToAdmit(key: LimiterKey): Promise<Verdict> {
    const base = redisKey(key);
    return withRedis<Verdict>(
      async () => {
        sends += 1;
        const [status, waitMs] = (await redis.eval(
          ADMIT,
          2,
          base,
          `${base}:paused`,
          windowMs,
          key.perMinute,
          `${member}${sends}`,
        )) as [number, number];
        if (status === 0) return { admitted: true };
        return { admitted: false, waitMs, heldBy: status === 1 ? 'paused' : 'budget' };
      },
      () => {
        // The per-process budget counts the send; the concurrency cap is this limiter's own.
        const local = { ...key, concurrency: Number.POSITIVE_INFINITY };
        if (!fallback.tryAcquire(local)) return { admitted: false, waitMs: pollMs, heldBy: 'budget' };
        fallback.release(local);
        return { admitted: true };
      },
    );
  }

  /** Admits the head of the queue whenever budget and concurrency allow; one loop per key at a time. */
  async function pump(state: KeyState): Promise<void> {
    if (state.pumping) return;
    state.pumping = true;
    try {
      for (let head = state.queue[0]; head; head = state.queue[0]) {
        if (state.inFlight >= state.key.concurrency) {
          head.heldBy ??= 'concurrency';
          return;
        }
        const verdict: Verdict =
          state.pausedUntil > Date.now()
            ? { admitted: false, waitMs: state.pausedUntil - Date.now(), heldBy: 'paused' }
            : await tryToAdmit(state.key);
        // The head may have given up (aborted) while Redis answered: the send goes to the next in line.
        const waiter = state.queue[0];
        if (!waiter) return;
        if (verdict.admitted) {
          state.queue.shift();
          state.inFlight += 1;
          admitWaiter(waiter, Date.now());
          continue;
        }
        waiter.heldBy ??= verdict.heldBy;
        if (verdict.heldBy === 'paused') {
          state.queue = dropThoseWhoCannotWait(state.queue, Date.now() + verdict.waitMs);
        }
        await sleep(Math.min(verdict.waitMs, pollMs));
      }
    } finally {
      state.pumping = false;
    }
  }

  return {
    get usingFallback() {
      return connection.usingFallback;
    },

    acquire(key: LimiterKey, signal?: AbortSignal, options: AcquireOptions = {}): Promise<Admission> {
      const state = stateOf(key);
      return waitForAdmission(
        signal,
        options,
        (waiter) => {
          state.queue.push(waiter);
          void pump(state);
        },
        (waiter) => {
          state.queue = state.queue.filter((queued) => queued !== waiter);
        },
      );
    },

    release(key: LimiterKey): void {
      const state = stateOf(key);
      state.inFlight = Math.max(0, state.inFlight - 1);
      void pump(state);
    },

    pause(key: LimiterKey, ms: number): number {
      const state = stateOf(key);
      state.pausedUntil = Math.max(state.pausedUntil, Date.now() + ms);
      const base = redisKey(key);
      // The other processes learn of the pause through Redis; this one knows it already.
      void withRedis(
        async () => {
          await redis.eval(PAUSE, 1, `${base}:paused`, Math.ceil(ms));
        },
        () => undefined,
      );
      return state.pausedUntil;
    },

    close: () => connection.close(),
  };
}
