import { type Budget, type BudgetVerdict, SUB_WINDOWS, SubWindows } from '../budget';
import type { Clock } from '../clock';
import { DEFAULT_RATE_LIMIT_OPTIONS, type LimiterKey, type RateLimiter } from '../limiter';
import { QueuedLimiter } from '../queued-limiter';
import { connectRedis, type RedisConnection, type RedisConnectionConfig } from './connection';

export type RedisRateLimiterConfig = RedisConnectionConfig & {
  /** Length of the budget window; must match the transport's `rateLimit.windowMs`. Default 61 s. */
  windowMs?: number;
  /** A pause read from Redis is never longer than this (WeCom's 45009 block). Default 60 s. */
  maxPauseMs?: number;
  /** Longest wait before this process asks Redis again while it works on its own budget. Default 250 ms. */
  pollMs?: number;
  clock?: Clock;
};

export interface RedisRateLimiter extends RateLimiter {
  /** True while Redis is failing and each process keeps its own budget. */
  readonly usingFallback: boolean;
  /** Closes the Redis connection if the limiter opened it (not a client that was passed in). */
  close(): Promise<void>;
}

// Redis's clock decides, so that processes whose clocks disagree still share one window.
const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

// Reads the pause of KEYS[2] robustly: a value of the wrong type or that is not a time is no pause
// (and is removed); one further away than ARGV[4] ms, the length of WeCom's block, is cut to it.
// Sets `repaired`: 0 nothing, 1 wrong type, 2 unparsable, 3 out of range.
const READ_PAUSE = `
local repaired = 0
local pausedUntil = 0
local raw = redis.pcall('GET', KEYS[2])
if type(raw) == 'table' and raw.err then
  redis.call('DEL', KEYS[2])
  repaired = 1
elseif raw then
  pausedUntil = tonumber(raw)
  if pausedUntil == nil then
    redis.call('DEL', KEYS[2])
    pausedUntil = 0
    repaired = 2
  elseif pausedUntil > now + tonumber(ARGV[4]) then
    pausedUntil = now + tonumber(ARGV[4])
    redis.call('SET', KEYS[2], pausedUntil, 'PX', tonumber(ARGV[4]))
    repaired = 3
  end
end`;

// The budget of one (corp, operation): a hash of send counts per sub-window of ARGV[3] ms (at most
// ~62 fields, whatever the rate), and its pause as a key beside it; both carry one hash tag, so a
// Redis Cluster keeps them in one slot. ARGV: windowMs, perMinute, sub-window ms, longest pause.
// Answers { 0, 0, repaired } (admitted), { 1, ms, repaired } (paused for ms more) or
// { 2, ms, repaired } (budget free in ms); a counter key of the wrong type counts as repaired 4.
const ADMIT = `${NOW}${READ_PAUSE}
if pausedUntil > now then return {1, pausedUntil - now, repaired} end
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind ~= 'none' and kind ~= 'hash' then
  redis.call('DEL', KEYS[1])
  repaired = 4
end
local windowMs = tonumber(ARGV[1])
local slotMs = tonumber(ARGV[3])
local firstCounted = math.floor((now - windowMs) / slotMs)
local fields = redis.call('HGETALL', KEYS[1])
local total = 0
local oldest = nil
for i = 1, #fields, 2 do
  local slot = tonumber(fields[i])
  local count = tonumber(fields[i + 1])
  if slot == nil or count == nil or slot < firstCounted then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    total = total + count
    if oldest == nil or slot < oldest then oldest = slot end
  end
end
if total >= tonumber(ARGV[2]) then
  return {2, math.max(1, math.ceil((oldest + 1) * slotMs + windowMs - now)), repaired}
end
redis.call('HINCRBY', KEYS[1], string.format('%d', math.floor(now / slotMs)), 1)
redis.call('PEXPIRE', KEYS[1], math.ceil(windowMs + slotMs))
return {0, 0, repaired}`;

// Extends the pause of KEYS[2] to at least ARGV[1] ms from now (never past ARGV[4] ms).
const PAUSE = `${NOW}${READ_PAUSE}
local untilMs = math.max(pausedUntil, now + math.min(tonumber(ARGV[1]), tonumber(ARGV[4])))
redis.call('SET', KEYS[2], untilMs, 'PX', untilMs - now)
return repaired`;

const DEFAULT_POLL_MS = 250;
const REPAIRS = ['wrong-type', 'unparsable', 'out-of-range', 'wrong-type'] as const;

/**
 * A rate limiter whose per-minute budgets and 45009 pauses are shared by every process through
 * Redis, so that several instances of a service together stay under WeCom's per-corp limits.
 * Calls of one process are admitted in order; the concurrency cap (against 45033) is per process.
 * While Redis fails, each process keeps its own budget (a 'redis-fallback' event says so).
 * Works on a Redis Cluster: the keys of one budget share a hash tag.
 */
export function createRedisRateLimiter(config: RedisRateLimiterConfig): RedisRateLimiter {
  const connection = connectRedis(config);
  const windowMs = config.windowMs ?? DEFAULT_RATE_LIMIT_OPTIONS.windowMs;
  const limiter = new QueuedLimiter({
    windowMs,
    budget: redisBudget(connection, {
      windowMs,
      maxPauseMs: config.maxPauseMs ?? DEFAULT_RATE_LIMIT_OPTIONS.pauseAfterRateLimitMs,
      pollMs: config.pollMs ?? DEFAULT_POLL_MS,
    }),
    ...(config.clock && { clock: config.clock }),
  });
  return {
    acquire: (key, signal, options) => limiter.acquire(key, signal, options),
    release: (key) => limiter.release(key),
    pause: (key, ms) => limiter.pause(key, ms),
    get usingFallback() {
      return connection.usingFallback;
    },
    close: () => connection.close(),
  };
}

/** The Redis keys of one budget: `{corp:operation}` is the hash tag that keeps them in one cluster slot. */
export function budgetKeys(prefix: string, key: LimiterKey): { counters: string; pause: string } {
  const counters = `${prefix}wecom:rate:{${key.scope}:${key.operationId}}`;
  return { counters, pause: `${counters}:paused` };
}

function redisBudget(
  connection: RedisConnection,
  settings: { windowMs: number; maxPauseMs: number; pollMs: number },
): Budget {
  const { redis, prefix, withRedis } = connection;
  const { windowMs, maxPauseMs, pollMs } = settings;
  const slotMs = windowMs / SUB_WINDOWS;
  // Counts this process's sends (in each key's cell) while Redis is down.
  const fallback = new SubWindows(windowMs);

  const reportRepair = (repaired: number, key: string) => {
    const problem = REPAIRS[repaired - 1];
    if (problem) connection.emit({ type: 'redis-repaired', key, problem });
  };

  return {
    synchronous: false,
    take(key, cell, now) {
      const { counters, pause } = budgetKeys(prefix, key);
      return withRedis<BudgetVerdict>(
        async () => {
          const [status, waitMs, repaired] = (await redis.eval(
            ADMIT,
            2,
            counters,
            pause,
            windowMs,
            key.perMinute,
            slotMs,
            maxPauseMs,
          )) as [number, number, number];
          reportRepair(repaired, repaired === 4 ? counters : pause);
          if (status === 0) return { admitted: true };
          return status === 1
            ? { admitted: false, waitMs, heldBy: 'paused', pausedBy: pausedBy(pause) }
            : { admitted: false, waitMs, heldBy: 'budget' };
        },
        () => {
          const verdict = fallback.take(cell, now, key.perMinute);
          // Ask Redis again soon: it may be back before this process's budget frees up.
          return verdict.admitted ? verdict : { ...verdict, waitMs: Math.min(verdict.waitMs, pollMs) };
        },
      );
    },
    idle: (cell, now) => fallback.idle(cell, now),
    // The other processes learn of the pause through Redis; this process holds its calls already.
    pause(key, ms) {
      const { counters, pause } = budgetKeys(prefix, key);
      void withRedis(
        async () => {
          const repaired = (await redis.eval(
            PAUSE,
            2,
            counters,
            pause,
            Math.ceil(ms),
            0,
            0,
            maxPauseMs,
          )) as number;
          reportRepair(repaired, pause);
        },
        () => undefined,
      );
    },
  };
}

const pausedBy = (pauseKey: string) =>
  `paused through Redis key ${pauseKey}, after a 45009 answer to some process`;
