import { sleep } from './abort';
import { type AttemptGate, runAttempt } from './attempt';
import { isTokenRejection } from './errcodes';
import { WecomConfigError, WecomError, WecomOutcomeUnknownError } from './errors';
import { createEventSink, type RetryReason, type WecomEvent } from './events';
import { fetchSend, globalFetchSend, type HttpSend, type WecomBody } from './http';
import { createLimitGate } from './limit-gate';
import { DEFAULT_RATE_LIMIT_OPTIONS, type RateLimitOptions, SlidingWindowLimiter } from './limiter';
import type { CallOptions, OperationMeta, RequestInput } from './operation';
import {
  type AttemptFailure,
  backoffDelay,
  RetryBudget,
  type RetryOptions,
  resolveRetryOptions,
  retryVerdict,
} from './retry';
import { MemoryTokenStore } from './token/memory-store';
import { TokenProvider } from './token/provider';
import type { TokenSource, TokenStore } from './token/store';
import { createTokenGate, type TokenGate } from './token-gate';

export const DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface TransportOptions {
  corpId?: string;
  corpSecret?: string;
  agentId?: string | number;
  /** Default https://qyapi.weixin.qq.com; without corpSecret, the proxy that adds the token. */
  baseUrl?: string;
  /** Sends every request through this fetch instead of the transport's default way of sending. */
  fetch?: typeof fetch;
  /** Default: a new MemoryTokenStore. */
  tokenStore?: TokenStore;
  retry?: Partial<RetryOptions> | false;
  /** Per-operation budgets; `false` turns limiting off. The browser transport has none: its proxy limits. */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  onEvent?: (event: WecomEvent) => void;
}

export interface Transport {
  /** Runs the whole pipeline; resolves to the parsed success body (errcode 0); throws a WecomKitError subclass otherwise. */
  request<T = unknown>(op: OperationMeta, input: RequestInput, options?: CallOptions): Promise<T>;
  /** Same pipeline, but a final business error (errcode != 0) is returned as the parsed body instead of thrown. */
  exchange(
    op: OperationMeta,
    input: RequestInput,
    options?: CallOptions,
  ): Promise<{ body: Record<string, unknown> & { errcode: number; errmsg: string } }>;
  /** The access tokens this transport sends; absent without corpSecret (browser mode). */
  readonly tokens?: TokenSource;
}

/**
 * What a transport is assembled from beyond its options. Each entry point passes only the parts
 * it needs, so that a browser bundle leaves out the token provider and the limiter.
 */
export interface TransportParts {
  /** How requests go out when the options bring no fetch. Default: globalThis.fetch. */
  send?: HttpSend;
  /** Builds the gate that adds access tokens; called only when there is a corpSecret. */
  tokens?: (settings: TokenSettings) => TokenGate;
  /** Builds the gate that holds calls to the rate limits, unless the options turn limiting off. */
  limits?: (options: Partial<RateLimitOptions>, scope: string) => AttemptGate;
}

/** What the token source needs from the transport's resolved options. */
export interface TokenSettings
  extends Pick<TransportOptions, 'corpId' | 'corpSecret' | 'agentId' | 'tokenStore'> {
  baseUrl: string;
  send: HttpSend;
  timeoutMs: number;
  emit: (event: WecomEvent) => void;
}

interface Outcome {
  body: WecomBody;
  /** Replaces the generic advice of the WecomError that `request` throws for this body. */
  note?: string;
}

function normalizeBaseUrl(baseUrl: string | undefined): string {
  const value = (baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  try {
    new URL(value);
  } catch (cause) {
    throw new WecomConfigError({
      message: `baseUrl "${value}" is not an absolute URL such as ${DEFAULT_BASE_URL}.`,
      cause,
    });
  }
  return value;
}

function errcodeOf(failure: AttemptFailure): number | undefined {
  return failure.kind === 'errcode' ? failure.errcode : undefined;
}

/**
 * The full stack for servers: access tokens (in-memory store unless `tokenStore` is given), the
 * per-operation rate limiter, retries and errcode handling. `send` is how requests go out unless
 * the options bring a fetch; on Node, `nodeHttpSend` from `@wecom-kit/core/node` is the fast way.
 */
export function createTransport(options: TransportOptions, send?: HttpSend): Transport {
  requireSecretWithCorpId(options);
  return assembleTransport(options, {
    ...(send && { send }),
    tokens: ({ emit, tokenStore, ...settings }) => {
      if (!settings.corpId) {
        throw new WecomConfigError({
          message: 'corpSecret was given without corpId: pass the 企业ID as corpId as well.',
        });
      }
      const store: TokenStore = tokenStore ?? new MemoryTokenStore();
      store.subscribe?.(emit);
      return createTokenGate(new TokenProvider({ ...settings, store, onEvent: emit }));
    },
    limits: (rateLimit, scope) => {
      const { limiter, ...settings } = { ...DEFAULT_RATE_LIMIT_OPTIONS, ...rateLimit };
      return createLimitGate(
        limiter ?? new SlidingWindowLimiter({ windowMs: settings.windowMs }),
        settings,
        scope,
      );
    },
  });
}

/**
 * A corpId with an unset or empty corpSecret is a server that lost its secret (typically an unset
 * environment variable), not a request for proxy mode: without this check it would send no token
 * and fail later with 41001, far from the cause.
 */
function requireSecretWithCorpId({ corpId, corpSecret }: TransportOptions): void {
  if (corpSecret === undefined ? !corpId : corpSecret !== '') return;
  throw new WecomConfigError({
    message:
      `corpSecret is ${corpSecret === undefined ? 'missing' : 'empty'} next to corpId: pass the app's Secret as ` +
      'corpSecret (if you read it from an environment variable, that variable is not set). To call a ' +
      'createWecomProxy instead, use the browser build or give neither corpId nor corpSecret.',
  });
}

/** One pipeline for every entry point: the parts decide what it can do beyond send, retry and parse. */
export function assembleTransport(options: TransportOptions, parts: TransportParts): Transport {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const emit = createEventSink(options.onEvent);
  const send = options.fetch ? fetchSend(options.fetch) : (parts.send ?? globalFetchSend);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokenGate =
    options.corpSecret === undefined
      ? undefined
      : parts.tokens?.({
          ...(options.corpId !== undefined && { corpId: options.corpId }),
          corpSecret: options.corpSecret,
          ...(options.agentId !== undefined && { agentId: options.agentId }),
          ...(options.tokenStore !== undefined && { tokenStore: options.tokenStore }),
          baseUrl,
          send,
          timeoutMs,
          emit,
        });
  const retry = resolveRetryOptions(options.retry);
  const budget = new RetryBudget(retry.budget, retry.budgetRefillPerSecond);
  const limitGate =
    options.rateLimit === false
      ? undefined
      : parts.limits?.(options.rateLimit ?? {}, options.corpId ?? baseUrl);
  const gatesWithToken = [tokenGate, limitGate].filter((gate) => gate !== undefined);
  // getToken itself is sent without a token.
  const gatesWithoutToken = limitGate ? [limitGate] : [];

  async function run(
    op: OperationMeta,
    input: RequestInput,
    callOptions: CallOptions = {},
  ): Promise<Outcome> {
    const callerSignal = callOptions.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    let deadlineAt = Date.now() + retry.deadlineMs;
    const gates = op.tokenless ? gatesWithoutToken : gatesWithToken;
    let tokenRetried = false;
    let retries = 0;
    for (let attempt = 1; ; attempt += 1) {
      const result = await runAttempt(
        {
          op,
          input,
          attempt,
          baseUrl,
          send,
          ...(callerSignal && { callerSignal }),
          deadlineAt,
          deadlineMs: retry.deadlineMs,
          timeoutMs: callOptions.timeoutMs ?? timeoutMs,
          emit,
        },
        gates,
      );
      deadlineAt += result.queuedMs ?? 0;
      if (result.kind === 'answer' && result.body.errcode === 0) {
        budget.deposit();
        return { body: result.body };
      }
      // A refused token is replaced and the call repeated exactly once: the call was refused, not applied.
      if (
        result.kind === 'answer' &&
        result.token !== undefined &&
        isTokenRejection(result.body.errcode) &&
        !tokenRetried
      ) {
        tokenRetried = true;
        await tokenGate?.tokens.invalidate(result.token);
        emitRetry(op, attempt, 0, 'token', result.body.errcode);
        continue;
      }
      const failure: AttemptFailure =
        result.kind === 'answer'
          ? { kind: 'errcode', errcode: result.body.errcode, retried: result.retried }
          : result.failure;
      const resumeAt = result.kind === 'answer' ? (result.pausedUntil ?? 0) : 0;
      const verdict = retryVerdict(failure, op.idempotent);
      if (verdict === 'outcome-unknown') {
        throw new WecomOutcomeUnknownError({
          operationId: op.operationId,
          cause: result.kind === 'failure' ? result.error : undefined,
        });
      }
      const stop = (note?: string): Outcome => {
        if (result.kind === 'failure') throw result.error;
        return note === undefined ? { body: result.body } : { body: result.body, note };
      };
      if (verdict === 'final') {
        return stop(
          failure.kind === 'errcode' && failure.errcode === -1 && !op.idempotent
            ? 'WeCom answered "busy" (-1) to a write, which does not say whether it was applied; it was not retried. Check its effect before sending it again.'
            : undefined,
        );
      }
      if (retries + 1 >= retry.maxAttempts) {
        return stop(`Gave up after ${attempt} attempts; retry later.`);
      }
      const delayMs = Math.max(backoffDelay(retries + 1, retry), resumeAt - Date.now());
      if (Date.now() + delayMs >= deadlineAt) {
        return stop(
          resumeAt
            ? `WeCom rate-limited ${op.operationId}, so it is paused until ${new Date(resumeAt).toISOString()}, past the call's deadline. Retry after the pause.`
            : `Gave up after ${attempt} attempts: the next one would pass the deadline of ${retry.deadlineMs} ms.`,
        );
      }
      if (!budget.tryWithdraw()) {
        return stop('Not retried: the retry budget is spent because many calls are failing; retry later.');
      }
      emitRetry(op, attempt, delayMs, failure.kind, errcodeOf(failure));
      await sleep(delayMs, callerSignal);
      retries += 1;
    }
  }

  function emitRetry(
    op: OperationMeta,
    attempt: number,
    delayMs: number,
    reason: RetryReason,
    errcode: number | undefined,
  ) {
    emit({
      type: 'retry',
      operationId: op.operationId,
      attempt,
      delayMs,
      reason,
      ...(errcode !== undefined && { errcode }),
    });
  }

  return {
    ...(tokenGate && { tokens: tokenGate.tokens }),
    async request<T>(op: OperationMeta, input: RequestInput, callOptions?: CallOptions): Promise<T> {
      const { body, note } = await run(op, input, callOptions);
      if (body.errcode !== 0) {
        throw new WecomError({
          errcode: body.errcode,
          errmsg: body.errmsg,
          operationId: op.operationId,
          ...(note !== undefined && { note }),
        });
      }
      return body as T;
    },
    async exchange(op, input, callOptions) {
      const { body } = await run(op, input, callOptions);
      return { body };
    },
  };
}
