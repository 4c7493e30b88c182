import { isTimeoutError, startTimer, type Timer } from './abort';
import type { Clock } from './clock';
import type { CallDeadline } from './deadline';
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

export interface AttemptContext {
  readonly op: OperationMeta;
  readonly input: RequestInput;
  /** 1-based. */
  readonly attempt: number;
  readonly baseUrl: string;
  readonly send: HttpSend;
  /** The token to send, set by the token gate; absent in browser mode and for the token endpoints. */
  readonly token?: string;
  /** The query parameter the token goes in (access_token, suite_access_token, provider_access_token). */
  readonly tokenParameter?: string;
  readonly callerSignal?: AbortSignal;
  readonly deadline: CallDeadline;
  /** Per attempt (option timeoutMs or the call's own). */
  readonly timeoutMs: number;
  readonly emit: EventSink;
  readonly clock: Clock;
}

/**
 * What one attempt came to: WeCom's answer (errcode 0 or not), or a failure with its error and
 * whether the request may have left. `retryAfterMs` is the only hint a gate passes up: after a
 * 45009 the limit gate says how long the operation is paused. `retried` is a fact of the answer: a
 * wecom-kit proxy in front already retried it.
 */
export type AttemptResult =
  | {
      readonly kind: 'answer';
      readonly body: WecomBody;
      readonly retryAfterMs?: number;
      /** A wecom-kit proxy already retried this answer (see PROXY_RETRIED_HEADER). */
      readonly retried?: boolean;
    }
  | {
      readonly kind: 'failure';
      readonly error: WecomKitError;
      /** False when the request certainly never left (no token, refused connection, no budget). */
      readonly sent: boolean;
      readonly retryAfterMs?: number;
      /** A wecom-kit proxy already retried this answer (see PROXY_RETRIED_HEADER). */
      readonly retried?: boolean;
    };

export type Exchange = (context: AttemptContext) => Promise<AttemptResult>;

/** A step before the exchange of an attempt: it may add to the context, hold the call, send again, or fail it unsent. */
export interface AttemptGate {
  pass(context: AttemptContext, next: Exchange): Promise<AttemptResult>;
}

/** How long a phase of an attempt may take: the per-attempt timeout, cut short by the call's deadline. */
export interface PhaseBudget {
  readonly ms: number;
  error(waitingFor: 'answer' | 'token', cause?: unknown): WecomTimeoutError;
}

export function phaseBudget(context: AttemptContext): PhaseBudget {
  const remaining = context.deadline.remainingMs();
  const scope = remaining < context.timeoutMs ? 'deadline' : 'attempt';
  return {
    ms: scope === 'deadline' ? remaining : context.timeoutMs,
    error: (waitingFor, cause) =>
      new WecomTimeoutError({
        operationId: context.op.operationId,
        timeoutMs: scope === 'deadline' ? context.deadline.ms : context.timeoutMs,
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
  return { ...startTimer(budget.ms, context.callerSignal, 'The WeCom call', context.clock), ...budget };
}

/** The gates in order (outermost first) around the HTTP exchange: one function per attempt. */
export function composeAttempt(gates: readonly AttemptGate[]): Exchange {
  return gates.reduceRight<Exchange>((next, gate) => (context) => gate.pass(context, next), exchange);
}

/**
 * The HTTP exchange of one attempt. Throws only the caller's abort; every other failure is
 * returned with its error, for the retry policy to judge.
 */
async function exchange(context: AttemptContext): Promise<AttemptResult> {
  const { op, input, attempt, emit, token, callerSignal, clock } = context;
  const budget = phaseBudget(context);
  const query =
    token === undefined ? input.query : { ...input.query, [context.tokenParameter ?? 'access_token']: token };
  const url = buildUrl(context.baseUrl, op.path, query);
  emit({ type: 'request', operationId: op.operationId, attempt, method: op.method, path: op.path });
  const started = clock.now();
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
    if (isTimeoutError(error)) return { kind: 'failure', error: budget.error('answer', error), sent: true };
    const code = networkErrorCode(error);
    return {
      kind: 'failure',
      error: new WecomNetworkError({
        operationId: op.operationId,
        cause: error,
        ...(code !== undefined && { code }),
      }),
      sent: !failedBeforeSending(error),
    };
  }
  const durationMs = clock.now() - started;
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
    return { kind: 'answer', body, retried: answer.retried };
  } catch (error) {
    emit({ type: 'response', operationId: op.operationId, attempt, durationMs, status: answer.status });
    return { kind: 'failure', error: error as WecomHttpError, sent: true, retried: answer.retried };
  }
}
