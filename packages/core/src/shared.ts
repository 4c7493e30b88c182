import { type Clock, systemClock } from './clock';
import type { WecomEvent } from './events';
import { fetchSend, type HttpSend } from './http';
import { DEFAULT_RATE_LIMIT_OPTIONS, type RateLimiter } from './limiter';
import { QueuedLimiter } from './queued-limiter';
import { MemoryTokenStore } from './token/memory-store';
import type { TokenStore } from './token/store';

/**
 * What every client of a process can share, so that a client per corp (or per app) is cheap: the
 * way requests go out (one connection pool), one rate limiter holding every (corp, operation)
 * budget, one token store and one event listener. Pass it as `shared` to each client.
 */
export interface SharedResources {
  /** How requests go out; absent: each client's default (node:http's global agent on Node). */
  readonly send?: HttpSend;
  readonly limiter: RateLimiter;
  readonly tokenStore: TokenStore;
  /** Receives the events of every client that uses these resources (besides each client's own onEvent). */
  readonly onEvent?: (event: WecomEvent) => void;
  readonly clock: Clock;
}

export interface SharedResourcesOptions {
  /** Sends every request through this fetch. */
  fetch?: typeof fetch;
  /** Sends every request through this function (e.g. nodeHttpSend over an Agent of your own); wins over `fetch`. */
  send?: HttpSend;
  /** Default: an in-process limiter (or pass createRedisRateLimiter's, shared between processes). */
  limiter?: RateLimiter;
  /** Length of the default limiter's window. Default 61 s. */
  windowMs?: number;
  /** Default: one MemoryTokenStore (or pass createRedisTokenStore's). */
  tokenStore?: TokenStore;
  onEvent?: (event: WecomEvent) => void;
  clock?: Clock;
}

export function createSharedResources(options: SharedResourcesOptions = {}): SharedResources {
  const clock = options.clock ?? systemClock;
  const send = options.send ?? (options.fetch ? fetchSend(options.fetch) : undefined);
  return {
    ...(send && { send }),
    limiter:
      options.limiter ??
      new QueuedLimiter({ windowMs: options.windowMs ?? DEFAULT_RATE_LIMIT_OPTIONS.windowMs, clock }),
    tokenStore: options.tokenStore ?? new MemoryTokenStore(clock),
    ...(options.onEvent && { onEvent: options.onEvent }),
    clock,
  };
}
