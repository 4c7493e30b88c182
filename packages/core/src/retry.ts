import type { AttemptResult } from './attempt';
import type { Clock } from './clock';
import { classifyErrcode } from './errcodes';
import { WecomError, WecomHttpError, WecomTimeoutError } from './errors';

export interface RetryOptions {
  /** Tries per call, the first included. Default 4. */
  maxAttempts: number;
  /** Backoff before retry n is a random delay in [0, min(maxDelayMs, baseDelayMs·2^(n-1))]. Default 200 ms. */
  baseDelayMs: number;
  /** Default 5 s. */
  maxDelayMs: number;
  /** A call gives up when this much time has passed since it started, whatever attempt it is on. Default 30 s. */
  deadlineMs: number;
  /** Retries the whole transport may make in a burst; each retry takes one. Default 10. */
  budget: number;
  /** Retry tokens regained per second (each successful call also gives one back). Default 1. */
  budgetRefillPerSecond: number;
}

export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  deadlineMs: 30_000,
  budget: 10,
  budgetRefillPerSecond: 1,
};

/** `false` turns retries off; the token refresh-once and the deadline still apply. */
export function resolveRetryOptions(options: Partial<RetryOptions> | false | undefined): RetryOptions {
  if (options === false) return { ...DEFAULT_RETRY_OPTIONS, maxAttempts: 1 };
  return { ...DEFAULT_RETRY_OPTIONS, ...options };
}

/** Full jitter: spreads retries of many clients over the whole interval instead of synchronising them. */
export function backoffDelay(
  retryNumber: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A token bucket shared by every call of one transport, so that an outage makes each call fail
 * after a few retries instead of multiplying the traffic it sends to a struggling WeCom.
 */
export class RetryBudget {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(capacity: number, refillPerSecond: number, now: Clock['now'] = Date.now) {
    this.#capacity = capacity;
    this.#refillPerMs = refillPerSecond / 1000;
    this.#now = now;
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes one retry token; false means the budget is spent and the call should fail now. */
  tryWithdraw(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** A call succeeded: WeCom is answering, so retries become affordable again. */
  deposit(): void {
    this.#refill();
    this.#tokens = Math.min(this.#capacity, this.#tokens + 1);
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#refillPerMs);
    this.#updatedAt = now;
  }
}

/**
 * How one attempt failed, as far as the retry rules care. `sent: false` means the business request
 * never left (gettoken failed, the connection was refused), so repeating it cannot apply it twice.
 */
export type AttemptFailure =
  | {
      readonly kind: 'errcode';
      readonly errcode: number;
      readonly sent?: boolean;
      readonly retried?: boolean;
    }
  /** An answer that is not a WeCom body; `unreadable`: status 2xx but HTML, garbage or JSON cut short. */
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly unreadable: boolean;
      readonly sent?: boolean;
      readonly retried?: boolean;
    }
  | { readonly kind: 'network'; readonly sent: boolean }
  | { readonly kind: 'timeout'; readonly sent: boolean };

/** retry: try again; final: the failure stands; outcome-unknown: a write that may have been applied. */
export type RetryVerdict = 'retry' | 'final' | 'outcome-unknown';

/**
 * Reads retry on every transient failure. Writes retry only when the failure proves nothing
 * happened (45009, 45033, 6000, a 429 from a proxy, a request that never left); -1, 5xx,
 * unreadable answers, resets and timeouts after sending leave a write's outcome unknown, so it is
 * never repeated. An answer that a wecom-kit proxy already retried (`retried`) is not retried again.
 */
export function retryVerdict(failure: AttemptFailure, idempotent: boolean): RetryVerdict {
  if (!isTransient(failure)) return 'final';
  if (idempotent || failure.sent === false || provesNothingHappened(failure)) {
    return 'retried' in failure && failure.retried ? 'final' : 'retry';
  }
  return failure.kind === 'errcode' ? 'final' : 'outcome-unknown';
}

function isTransient(failure: AttemptFailure): boolean {
  switch (failure.kind) {
    case 'errcode':
      return classifyErrcode(failure.errcode) === 'transient';
    case 'http':
      return failure.status === 429 || failure.unreadable || failure.status >= 500;
    default:
      return true;
  }
}

function provesNothingHappened(failure: AttemptFailure): boolean {
  // -1 (busy) may come after WeCom applied a write; the other transient codes are refusals.
  if (failure.kind === 'errcode') return failure.errcode !== -1;
  // A 429 comes from a proxy that refused to forward the call.
  return failure.kind === 'http' && failure.status === 429;
}

/** The one failure classifier: what an attempt's result means to the retry rules. */
export function classifyFailure(result: AttemptResult): AttemptFailure {
  const retried = result.retried === true;
  if (result.kind === 'answer') return { kind: 'errcode', errcode: result.body.errcode, retried };
  const { error, sent } = result;
  if (error instanceof WecomError) return { kind: 'errcode', errcode: error.errcode, sent, retried };
  if (error instanceof WecomHttpError) {
    return { kind: 'http', status: error.status, unreadable: error.reason !== 'status', sent, retried };
  }
  if (error instanceof WecomTimeoutError) return { kind: 'timeout', sent };
  return { kind: 'network', sent };
}

/** Everything the retry decision depends on; nothing else (no clock, no randomness of its own). */
export interface RetryInputs {
  readonly failure: AttemptFailure;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly idempotent: boolean;
  readonly options: RetryOptions;
  /** Not before this long: how long a 45009 pause still lasts. */
  readonly retryAfterMs?: number;
  /** The time of the decision (epoch ms), to say when a pause ends. */
  readonly now: number;
  /** Time left before the call's deadline. */
  readonly remainingMs: number;
  /** Retry tokens left in the transport's shared budget. */
  readonly retryTokens: number;
  /** A random number in [0, 1) for the backoff's jitter. */
  readonly jitter: number;
}

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number }
  /** The failure stands; `note` replaces the generic advice of the error thrown for an answer. */
  | { readonly action: 'stop'; readonly note?: string }
  /** A write that may have been applied: it is not repeated, and the caller must check its effect. */
  | { readonly action: 'outcome-unknown' };

const BUSY_WRITE_NOTE =
  'WeCom answered "busy" (-1) to a write, which does not say whether it was applied; it was not retried. Check its effect before sending it again.';

/** Whether and when to try again: a pure function of the failure, the attempt and what budget is left. */
export function decideRetry(inputs: RetryInputs): RetryDecision {
  const { failure, attempt, idempotent, options, retryAfterMs = 0 } = inputs;
  const verdict = retryVerdict(failure, idempotent);
  if (verdict === 'outcome-unknown') return { action: 'outcome-unknown' };
  if (verdict === 'final') {
    const busyWrite = failure.kind === 'errcode' && failure.errcode === -1 && !idempotent;
    return busyWrite ? { action: 'stop', note: BUSY_WRITE_NOTE } : { action: 'stop' };
  }
  if (attempt >= options.maxAttempts) {
    return { action: 'stop', note: `Gave up after ${attempt} attempts; retry later.` };
  }
  const delayMs = Math.max(
    backoffDelay(attempt, options, () => inputs.jitter),
    retryAfterMs,
  );
  if (delayMs >= inputs.remainingMs) {
    return {
      action: 'stop',
      note:
        retryAfterMs > 0
          ? `WeCom rate-limited this operation (45009), so it is paused until ${new Date(inputs.now + retryAfterMs).toISOString()}, past the call's deadline. Retry after the pause.`
          : `Gave up after ${attempt} attempts: the next one would pass the deadline of ${options.deadlineMs} ms.`,
    };
  }
  if (inputs.retryTokens < 1) {
    return {
      action: 'stop',
      note: 'Not retried: the retry budget is spent because many calls are failing; retry later.',
    };
  }
  return { action: 'retry', delayMs };
}
