import { isTimeoutError, startTimer, type Timer } from './abort';
import { type WecomHttpError, type WecomKitError, WecomNetworkError, WecomTimeoutError } from './errors';
import type { EventSink } from './events';
import {
  buildUrl,
  failedBeforeSending,
  type HttpAnswer,
  type HttpSend,
  networkErrorCode,
  parseWecomAnswer,
  type WecomBody,
} from './http';
import type { OperationMeta, RequestInput } from './operation';
import type { AttemptFailure } from './retry';

export interface AttemptContext {
  op: OperationMeta;
  input: RequestInput;
  /** 1-based. */
  attempt: number;
  baseUrl: string;
  send: HttpSend;
  /** The access token to send, set by the token gate; absent in browser mode and for getToken itself. */
  token?: string;
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
      readonly queuedMs?: number;
      /** A wecom-kit proxy already retried this answer. */
      readonly retried?: boolean;
    }
  | {
      readonly kind: 'failure';
      readonly failure: AttemptFailure;
      readonly error: WecomKitError;
      /** How long the limiter held the call before sending it; the call's deadline moves by as much. */
      readonly queuedMs?: number;
    };

/** A step before the exchange of an attempt: it may add to the context, hold the call, or fail it unsent. */
export interface AttemptGate {
  pass(
    context: AttemptContext,
    send: (context: AttemptContext) => Promise<AttemptResult>,
  ): Promise<AttemptResult>;
}

/** How long a phase of an attempt may take: the per-attempt timeout, cut short by the call's deadline. */
export interface PhaseBudget {
  readonly ms: number;
  error(waitingFor: 'answer' | 'token', cause?: unknown): WecomTimeoutError;
}

export function phaseBudget(context: AttemptContext): PhaseBudget {
  const remaining = Math.max(0, context.deadlineAt - Date.now());
  const scope = remaining < context.timeoutMs ? 'deadline' : 'attempt';
  return {
    ms: scope === 'deadline' ? remaining : context.timeoutMs,
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

export interface PhaseTimer extends Timer, PhaseBudget {}

/** The phase's budget as a running timer; the caller's signal stops it too. */
export function startPhase(context: AttemptContext): PhaseTimer {
  const budget = phaseBudget(context);
  return { ...startTimer(budget.ms, context.callerSignal, 'The WeCom call'), ...budget };
}

/**
 * One try: the gates in order (a token, then admission by the limiter), then the HTTP exchange.
 * Throws only what must end the call at once (the caller's abort, a configuration error); every
 * other failure is returned with what the retry rules need to know.
 */
export function runAttempt(context: AttemptContext, gates: readonly AttemptGate[]): Promise<AttemptResult> {
  const send = gates.reduceRight<(context: AttemptContext) => Promise<AttemptResult>>(
    (next, gate) => (current) => gate.pass(current, next),
    exchange,
  );
  return send(context);
}

async function exchange(context: AttemptContext): Promise<AttemptResult> {
  const { op, input, attempt, emit, token, callerSignal } = context;
  const budget = phaseBudget(context);
  const query = token === undefined ? input.query : { ...input.query, access_token: token };
  const url = buildUrl(context.baseUrl, op.path, query);
  emit({ type: 'request', operationId: op.operationId, attempt, method: op.method, path: op.path });
  const started = Date.now();
  let answer: HttpAnswer;
  try {
    answer = await context.send({
      method: op.method,
      url,
      body: input.body,
      timeoutMs: budget.ms,
      signal: callerSignal,
    });
  } catch (error) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (isTimeoutError(error))
      return {
        kind: 'failure',
        failure: { kind: 'timeout', sent: true },
        error: budget.error('answer', error),
      };
    const code = networkErrorCode(error);
    return {
      kind: 'failure',
      failure: { kind: 'network', sent: !failedBeforeSending(error) },
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
    return { kind: 'answer', body, token, retried: answer.retried };
  } catch (error) {
    emit({ type: 'response', operationId: op.operationId, attempt, durationMs, status: answer.status });
    const httpError = error as WecomHttpError;
    return {
      kind: 'failure',
      failure: {
        kind: 'http',
        status: httpError.status,
        unreadable: httpError.reason !== 'status',
        retried: answer.retried,
      },
      error: httpError,
    };
  }
}
