import { anySignal } from './abort';
import {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomKitError,
  WecomNetworkError,
  WecomTimeoutError,
} from './errors';
import type { EventSink } from './events';
import {
  buildUrl,
  failedBeforeSending,
  networkErrorCode,
  parseWecomAnswer,
  sendHttp,
  type WecomBody,
} from './http';
import { type LimiterKey, LimiterPausedError, type RateLimiter } from './limiter';
import type { OperationMeta, RequestInput } from './operation';
import type { AttemptFailure } from './retry';
import type { TokenProvider } from './token/provider';

export interface AttemptContext {
  op: OperationMeta;
  input: RequestInput;
  /** 1-based. */
  attempt: number;
  baseUrl: string;
  fetch: typeof fetch;
  /** Absent when no token is sent (browser mode, or getToken itself). */
  tokens?: TokenProvider;
  /** `pauseMs`: how long the operation admits nothing after WeCom answers 45009. */
  limit?: { limiter: RateLimiter; key: LimiterKey; pauseMs: number };
  callerSignal?: AbortSignal;
  deadlineAt: number;
  deadlineMs: number;
  timeoutMs: number;
  emit: EventSink;
}

export type AttemptResult =
  | {
      readonly kind: 'answer';
      readonly body: WecomBody;
      readonly token?: string;
      /** Set after a 45009: when the operation admits calls again. */
      readonly pausedUntil?: number;
    }
  | { readonly kind: 'failure'; readonly failure: AttemptFailure; readonly error: WecomKitError };

interface PhaseTimer {
  signal: AbortSignal;
  timedOut: () => boolean;
  error: (waitingFor: 'answer' | 'token' | 'rate limit', cause?: unknown) => WecomTimeoutError;
  /** Disarms the timer once the phase is over (AbortSignal.timeout would keep it armed, and cost, for its whole span). */
  end: () => void;
}

/** The per-attempt timeout, cut short by the call's deadline; the caller's signal stops it too. */
function startPhase(context: AttemptContext, bound: 'attempt' | 'deadline'): PhaseTimer {
  const remaining = Math.max(0, context.deadlineAt - Date.now());
  const scope = bound === 'deadline' || remaining < context.timeoutMs ? 'deadline' : 'attempt';
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException('The WeCom call timed out.', 'TimeoutError')),
    scope === 'deadline' ? remaining : context.timeoutMs,
  );
  return {
    signal: anySignal([context.callerSignal, timeout.signal]) as AbortSignal,
    timedOut: () => timeout.signal.aborted,
    end: () => clearTimeout(timer),
    error: (waitingFor, cause) =>
      new WecomTimeoutError({
        operationId: context.op.operationId,
        timeoutMs: scope === 'deadline' ? context.deadlineMs : context.timeoutMs,
        scope,
        waitingFor,
        cause,
      }),
  };
}

/**
 * One try: token, admission by the limiter, then the HTTP exchange. Throws only what must end
 * the call at once (the caller's abort, a configuration error); every other failure is returned
 * with what the retry rules need to know.
 */
export async function runAttempt(context: AttemptContext): Promise<AttemptResult> {
  let token: string | undefined;
  if (context.tokens) {
    const phase = startPhase(context, 'attempt');
    try {
      token = await context.tokens.getToken({ signal: phase.signal });
    } catch (error) {
      return failureBeforeSending(error, context, phase);
    } finally {
      phase.end();
    }
  }
  if (!context.limit) return exchange(context, token);
  const { limiter, key } = context.limit;
  // The wait for rate-limit budget is bounded by the deadline only: queueing is expected, not a fault.
  const phase = startPhase(context, 'deadline');
  try {
    const admission = await limiter.acquire(key, phase.signal, { giveUpAfter: context.deadlineAt });
    if (admission.heldBy) {
      context.emit({
        type: 'rate-limited',
        operationId: context.op.operationId,
        attempt: context.attempt,
        waitMs: admission.waitedMs,
        // A pause comes from WeCom's own 45009 answer to an earlier call.
        reason: admission.heldBy === 'paused' ? 'server' : admission.heldBy,
      });
    }
  } catch (error) {
    if (context.callerSignal?.aborted) throw context.callerSignal.reason;
    // Waiting out a 45009 pause that ends after the deadline would only delay the same failure.
    if (error instanceof LimiterPausedError) throw pausedPastDeadline(context, error.resumesAt);
    return {
      kind: 'failure',
      failure: { kind: 'timeout', sent: false },
      error: phase.error('rate limit', error),
    };
  } finally {
    phase.end();
  }
  try {
    const result = await exchange(context, token);
    // Paused before the slot is released, so that no queued call slips into WeCom's block.
    if (result.kind === 'answer' && result.body.errcode === 45009) {
      const pausedUntil = limiter.pause(key, context.limit.pauseMs);
      context.emit({
        type: 'rate-limited',
        operationId: context.op.operationId,
        attempt: context.attempt,
        waitMs: context.limit.pauseMs,
        reason: 'server',
        errcode: 45009,
      });
      return { ...result, pausedUntil };
    }
    return result;
  } finally {
    limiter.release(key);
  }
}

function pausedPastDeadline(context: AttemptContext, resumesAt: number): WecomTimeoutError {
  const { operationId } = context.op;
  return new WecomTimeoutError({
    operationId,
    timeoutMs: context.deadlineMs,
    scope: 'deadline',
    waitingFor: 'rate limit',
    message:
      `${operationId} was not sent: WeCom answered 45009 (rate limited), so the operation is paused until ` +
      `${new Date(resumesAt).toISOString()}, after this call's deadline. Retry after the pause.`,
  });
}

function failureBeforeSending(error: unknown, context: AttemptContext, phase: PhaseTimer): AttemptResult {
  if (context.callerSignal?.aborted) throw context.callerSignal.reason;
  if (error instanceof WecomConfigError) throw error;
  if (phase.timedOut())
    return { kind: 'failure', failure: { kind: 'timeout', sent: false }, error: phase.error('token', error) };
  if (error instanceof WecomError)
    return { kind: 'failure', failure: { kind: 'errcode', errcode: error.errcode, sent: false }, error };
  if (error instanceof WecomHttpError) {
    return {
      kind: 'failure',
      failure: { kind: 'http', status: error.status, unreadable: error.reason !== 'status', sent: false },
      error,
    };
  }
  if (error instanceof WecomTimeoutError)
    return { kind: 'failure', failure: { kind: 'timeout', sent: false }, error };
  const wrapped =
    error instanceof WecomKitError ? error : new WecomNetworkError({ operationId: 'getToken', cause: error });
  return { kind: 'failure', failure: { kind: 'network', sent: false }, error: wrapped };
}

async function exchange(context: AttemptContext, token: string | undefined): Promise<AttemptResult> {
  const { op, input, attempt, emit } = context;
  const phase = startPhase(context, 'attempt');
  const query = token === undefined ? input.query : { ...input.query, access_token: token };
  const url = buildUrl(context.baseUrl, op.path, query);
  emit({ type: 'request', operationId: op.operationId, attempt, method: op.method, path: op.path });
  const started = Date.now();
  let answer: Awaited<ReturnType<typeof sendHttp>>;
  try {
    answer = await sendHttp({
      fetch: context.fetch,
      method: op.method,
      url,
      body: input.body,
      signal: phase.signal,
    });
    phase.end();
  } catch (error) {
    phase.end();
    if (context.callerSignal?.aborted) throw context.callerSignal.reason;
    if (phase.timedOut())
      return {
        kind: 'failure',
        failure: { kind: 'timeout', sent: true },
        error: phase.error('answer', error),
      };
    const code = networkErrorCode(error);
    return {
      kind: 'failure',
      failure: { kind: 'network', sent: !failedBeforeSending(code) },
      error: new WecomNetworkError({
        operationId: op.operationId,
        cause: error,
        ...(code !== undefined && { code }),
      }),
    };
  }
  const durationMs = Date.now() - started;
  try {
    const body = parseWecomAnswer(answer, op.operationId);
    emit({
      type: 'response',
      operationId: op.operationId,
      attempt,
      durationMs,
      status: answer.status,
      errcode: body.errcode,
    });
    return token === undefined ? { kind: 'answer', body } : { kind: 'answer', body, token };
  } catch (error) {
    emit({ type: 'response', operationId: op.operationId, attempt, durationMs, status: answer.status });
    const httpError = error as WecomHttpError;
    return {
      kind: 'failure',
      failure: { kind: 'http', status: httpError.status, unreadable: httpError.reason !== 'status' },
      error: httpError,
    };
  }
}
