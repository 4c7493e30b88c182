import { sleep } from './abort';
import { runAttempt } from './attempt';
import { isTokenRejection } from './errcodes';
import { WecomConfigError, WecomError, WecomOutcomeUnknownError } from './errors';
import { createEventSink, type RetryReason, type WecomEvent } from './events';
import type { WecomBody } from './http';
import {
  DEFAULT_RATE_LIMIT_OPTIONS,
  type LimiterKey,
  type RateLimiter,
  type RateLimitOptions,
  SlidingWindowLimiter,
} from './limiter';
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
import type { TokenStore } from './token/store';

export const DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface TransportOptions {
  corpId?: string;
  corpSecret?: string;
  agentId?: string | number;
  /** Default https://qyapi.weixin.qq.com; without corpSecret, the proxy that adds the token. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Default: a new MemoryTokenStore. */
  tokenStore?: TokenStore;
  retry?: Partial<RetryOptions> | false;
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
  /** The access tokens this transport uses (shared through its TokenStore). */
  readonly tokens: TokenProvider;
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

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  if (options.corpSecret !== undefined && !options.corpId) {
    throw new WecomConfigError({
      message: 'corpSecret was given without corpId: pass the 企业ID as corpId as well.',
    });
  }
  const emit = createEventSink(options.onEvent);
  // Browsers throw "Illegal invocation" when fetch is called detached from globalThis.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const store: TokenStore = options.tokenStore ?? new MemoryTokenStore();
  store.subscribe?.(emit);
  const tokens = new TokenProvider({
    ...(options.corpId !== undefined && { corpId: options.corpId }),
    ...(options.corpSecret !== undefined && { corpSecret: options.corpSecret }),
    ...(options.agentId !== undefined && { agentId: options.agentId }),
    baseUrl,
    fetch: fetchImpl,
    store,
    timeoutMs,
    onEvent: emit,
  });
  const retry = resolveRetryOptions(options.retry);
  const budget = new RetryBudget(retry.budget, retry.budgetRefillPerSecond);
  const rateLimit =
    options.rateLimit === false ? undefined : { ...DEFAULT_RATE_LIMIT_OPTIONS, ...options.rateLimit };
  const limiter: RateLimiter | undefined =
    rateLimit && (rateLimit.limiter ?? new SlidingWindowLimiter({ windowMs: rateLimit.windowMs }));
  const scope = options.corpId ?? baseUrl;

  function limiterKey(op: OperationMeta): LimiterKey | undefined {
    if (!rateLimit) return undefined;
    return {
      scope,
      operationId: op.operationId,
      perMinute: op.rateLimitPerMinute ?? rateLimit.perMinute,
      concurrency: rateLimit.concurrency,
    };
  }

  async function run(
    op: OperationMeta,
    input: RequestInput,
    callOptions: CallOptions = {},
  ): Promise<Outcome> {
    const callerSignal = callOptions.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const deadlineAt = Date.now() + retry.deadlineMs;
    const key = limiterKey(op);
    const sendsToken = tokens.hasCredentials && !op.tokenless;
    let tokenRetried = false;
    let retries = 0;
    for (let attempt = 1; ; attempt += 1) {
      const result = await runAttempt({
        op,
        input,
        attempt,
        baseUrl,
        fetch: fetchImpl,
        ...(sendsToken && { tokens }),
        ...(limiter &&
          key &&
          rateLimit && { limit: { limiter, key, pauseMs: rateLimit.pauseAfterRateLimitMs } }),
        ...(callerSignal && { callerSignal }),
        deadlineAt,
        deadlineMs: retry.deadlineMs,
        timeoutMs: callOptions.timeoutMs ?? timeoutMs,
        emit,
      });
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
        await tokens.invalidate(result.token);
        emitRetry(op, attempt, 0, 'token', result.body.errcode);
        continue;
      }
      const failure: AttemptFailure =
        result.kind === 'answer' ? { kind: 'errcode', errcode: result.body.errcode } : result.failure;
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
            ? `WeCom rate-limited ${op.operationId}, so it is paused for ${rateLimit?.pauseAfterRateLimitMs} ms, longer than the call's deadline allows. Retry later.`
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
    tokens,
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
