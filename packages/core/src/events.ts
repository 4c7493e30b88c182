import { redactValue } from './redact';

/** The calls that issue tokens, as named in token-refresh events and their errors. */
export type TokenOperationId = 'getToken' | 'getSuiteToken' | 'getCorpToken' | 'getProviderToken';

/** Why a failed attempt is tried again. */
export type RetryReason = 'errcode' | 'network' | 'http' | 'timeout' | 'token';

/** How a success body departs from its operation's response schema in the spec. */
export type SpecDriftKind = 'unknown-field' | 'missing-required' | 'wrong-type' | 'unknown-enum-value';

/** What the transport reports through `onEvent`. Events never carry a secret or a token. */
export type WecomEvent =
  | {
      readonly type: 'request';
      readonly operationId: string;
      readonly attempt: number;
      readonly method: 'GET' | 'POST';
      readonly path: string;
    }
  | {
      readonly type: 'response';
      readonly operationId: string;
      readonly attempt: number;
      readonly durationMs: number;
      readonly status: number;
      /** Absent when the body was not a WeCom answer. */
      readonly errcode?: number;
    }
  | {
      readonly type: 'retry';
      readonly operationId: string;
      /** The attempt that failed; the next one is attempt + 1. */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: RetryReason;
      readonly errcode?: number;
    }
  | {
      readonly type: 'token-refresh';
      /** Which kind of token was refreshed: getToken (access token), getSuiteToken, getCorpToken or getProviderToken. */
      readonly operationId: TokenOperationId;
      readonly attempt: 1;
      readonly durationMs: number;
      /** cold: no token yet; expiring: refreshed ahead of expiry; invalidated: WeCom refused the previous one. */
      readonly reason: 'cold' | 'expiring' | 'invalidated';
      readonly outcome: 'ok' | 'error';
      readonly errcode?: number;
    }
  | {
      readonly type: 'rate-limited';
      readonly operationId: string;
      readonly attempt: number;
      /** How long the call waited, or for `server`, how long the operation is paused. */
      readonly waitMs: number;
      /** budget/concurrency: held back by the local limiter; server: WeCom answered 45009. */
      readonly reason: 'budget' | 'concurrency' | 'server';
      readonly errcode?: number;
    }
  | {
      /** A sampled success body departs from the spec (the client's `specCheck`); once per listener and process. */
      readonly type: 'spec-drift';
      readonly operationId: string;
      /** JSON pointer into the body with every array index as `*` (`/follow_user/*` is each follower); never a value. */
      readonly pointer: string;
      readonly kind: SpecDriftKind;
    }
  | {
      readonly type: 'redis-fallback';
      /** enter: Redis failed and tokens are kept per process; exit: Redis answers again. */
      readonly phase: 'enter' | 'exit';
      readonly error?: string;
    }
  | {
      readonly type: 'redis-repaired';
      /** The Redis key (token, budget or pause) whose value was not what wecom-kit writes there: read as missing and replaced. */
      readonly key: string;
      /** wrong-type: another type of value (WRONGTYPE); unparsable: not a number; out-of-range: a pause longer than WeCom's block. */
      readonly problem: 'wrong-type' | 'unparsable' | 'out-of-range';
    };

export type EventSink = (event: WecomEvent) => void;

/**
 * Wraps a listener so that what it receives is redacted and a listener that throws cannot break
 * the call that reported the event.
 */
export function createEventSink(onEvent: ((event: WecomEvent) => void) | undefined): EventSink {
  if (!onEvent) return () => {};
  return (event) => {
    try {
      onEvent(redactValue(event));
    } catch {
      // A broken logger must not turn a successful WeCom call into a failure.
    }
  };
}
