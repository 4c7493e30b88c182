import { sleep } from './abort';
import { type AttemptContext, type AttemptGate, composeAttempt, type Exchange } from './attempt';
import { type Clock, systemClock } from './clock';
import { CallDeadline } from './deadline';
import { WecomConfigError, WecomError, WecomOutcomeUnknownError } from './errors';
import { createEventSink, type EventSink, type WecomEvent } from './events';
import { fetchSend, globalFetchSend, type HttpSend, type WecomBody } from './http';
import { createLimitGate } from './limit-gate';
import { DEFAULT_RATE_LIMIT_OPTIONS, type RateLimitOptions } from './limiter';
import type { CallOptions, OperationMeta, RequestInput } from './operation';
import { QueuedLimiter } from './queued-limiter';
import { classifyFailure, decideRetry, RetryBudget, type RetryOptions, resolveRetryOptions } from './retry';
import type { SharedResources } from './shared';
import { type Telemetry, withTelemetry } from './telemetry/types';
import { selfBuiltApp, type WecomAuth } from './token/auth';
import { MemoryTokenStore } from './token/memory-store';
import type { TokenSource, TokenStore } from './token/store';
import { createTokenGate, type TokenGate } from './token-gate';
import { bothListeners, DEFAULT_TIMEOUT_MS, normalizeBaseUrl } from './transport-settings';

export interface TransportOptions {
  corpId?: string;
  corpSecret?: string;
  agentId?: string | number;
  /**
   * Where tokens come from when the client is not a self-built app: `customizedApp(...)`,
   * `suite.corp(...)` or the `suite` of `createSuite`, `serviceProvider(...)`. Replaces corpId
   * and corpSecret.
   */
  auth?: WecomAuth;
  /** Default https://qyapi.weixin.qq.com; without corpSecret, the proxy that adds the token. */
  baseUrl?: string;
  /** Sends every request through this fetch instead of the transport's default way of sending. */
  fetch?: typeof fetch;
  /** What this client shares with the others of the process (createSharedResources); its own options win. */
  shared?: SharedResources;
  /** Default: the shared store, else a new MemoryTokenStore. */
  tokenStore?: TokenStore;
  retry?: Partial<RetryOptions> | false;
  /** Per-operation budgets; `false` turns limiting off. The browser transport has none: its proxy limits. */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  onEvent?: (event: WecomEvent) => void;
  /** Where time is read and timers armed. Default: the shared clock, else the system clock. */
  clock?: Clock;
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
  /** The tokens this transport sends; absent without corpSecret or auth (browser mode). */
  readonly tokens?: TokenSource;
}

/**
 * What a transport is assembled from beyond its options. Each entry point passes only the parts
 * it needs, so that a browser bundle leaves out the token provider and the limiter.
 */
export interface TransportParts {
  /** How requests go out when the options bring no fetch. Default: globalThis.fetch. */
  send?: HttpSend;
  /** Builds the gate that adds tokens; called only when there is a corpSecret or an auth. */
  tokens?: (settings: TokenSettings) => TokenGate;
  /** Builds the gate that holds calls to the rate limits, unless the options turn limiting off. */
  limits?: (settings: LimitSettings) => AttemptGate;
  /** OpenTelemetry spans and metrics (server entry points only, when @opentelemetry/api is installed). */
  telemetry?: Telemetry;
}

/** What the token gate needs from the transport's resolved options. */
export interface TokenSettings
  extends Pick<TransportOptions, 'corpId' | 'corpSecret' | 'agentId' | 'auth' | 'tokenStore'> {
  baseUrl: string;
  send: HttpSend;
  timeoutMs: number;
  emit: (event: WecomEvent) => void;
  clock: Clock;
}

/** What the limit gate needs: the rate-limit options, the budget scope (the corp) and the shared limiter, if any. */
export interface LimitSettings {
  rateLimit: Partial<RateLimitOptions>;
  scope: string;
  clock: Clock;
  shared?: SharedResources;
}

interface Outcome {
  body: WecomBody;
  /** Replaces the generic advice of the WecomError that `request` throws for this body. */
  note?: string;
}

/**
 * The full stack for servers: access tokens (in-memory store unless `tokenStore` is given), the
 * per-operation rate limiter, retries and errcode handling. `send` is how requests go out unless
 * the options bring a fetch; on Node, `nodeHttpSend` from `@wecom-kit/core/node` is the fast way.
 * `telemetry` (`loadTelemetry()` of `@wecom-kit/core/internal`) adds OpenTelemetry spans and metrics.
 */
export function createTransport(
  options: TransportOptions,
  send?: HttpSend,
  telemetry?: Telemetry,
): Transport {
  requireSecretWithCorpId(options);
  return assembleTransport(options, {
    ...(send && { send }),
    ...(telemetry && { telemetry }),
    tokens: ({ emit, tokenStore, clock, corpId, corpSecret, agentId, auth, ...settings }) => {
      if (!auth && !corpId) {
        throw new WecomConfigError({
          message: 'corpSecret was given without corpId: pass the 企业ID as corpId as well.',
        });
      }
      const store: TokenStore = tokenStore ?? new MemoryTokenStore(clock);
      store.subscribe?.(emit);
      const source = (
        auth ??
        selfBuiltApp({
          corpId: corpId ?? '',
          corpSecret: corpSecret ?? '',
          ...(agentId !== undefined && { agentId }),
        })
      ).createTokenSource({
        ...settings,
        store,
        emit,
        clock,
        ...(telemetry && { traceTokenFetch: telemetry.traceTokenFetch(settings.baseUrl) }),
      });
      return createTokenGate(source);
    },
    limits: ({ rateLimit, scope, clock, shared }) => {
      const { limiter, ...settings } = { ...DEFAULT_RATE_LIMIT_OPTIONS, ...rateLimit };
      return createLimitGate(
        limiter ?? shared?.limiter ?? new QueuedLimiter({ windowMs: settings.windowMs, clock }),
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
function requireSecretWithCorpId({ corpId, corpSecret, auth }: TransportOptions): void {
  if (auth && (corpId !== undefined || corpSecret !== undefined)) {
    throw new WecomConfigError({
      message:
        'auth was given together with corpId or corpSecret: a client has one token source. Pass corpId and ' +
        'corpSecret for a self-built app, or auth (customizedApp, suite.corp, serviceProvider) otherwise.',
    });
  }
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
  const { shared } = options;
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const clock = options.clock ?? shared?.clock ?? systemClock;
  const { telemetry } = parts;
  const emit = withTelemetry(createEventSink(bothListeners(options.onEvent, shared?.onEvent)), telemetry);
  const send = options.fetch ? fetchSend(options.fetch) : (shared?.send ?? parts.send ?? globalFetchSend);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokenStore = options.tokenStore ?? shared?.tokenStore;
  const tokenGate =
    options.corpSecret === undefined && options.auth === undefined
      ? undefined
      : parts.tokens?.({
          ...(options.corpId !== undefined && { corpId: options.corpId }),
          ...(options.corpSecret !== undefined && { corpSecret: options.corpSecret }),
          ...(options.agentId !== undefined && { agentId: options.agentId }),
          ...(options.auth !== undefined && { auth: options.auth }),
          ...(tokenStore !== undefined && { tokenStore }),
          baseUrl,
          send,
          timeoutMs,
          emit,
          clock,
        });
  const retry = resolveRetryOptions(options.retry);
  const budget = new RetryBudget(retry.budget, retry.budgetRefillPerSecond, clock.now);
  const limitGate =
    options.rateLimit === false
      ? undefined
      : parts.limits?.({
          rateLimit: options.rateLimit ?? {},
          scope: options.corpId ?? options.auth?.scope ?? baseUrl,
          clock,
          ...(shared && { shared }),
        });
  const withToken = composeAttempt([tokenGate, limitGate].filter((gate) => gate !== undefined));
  // The token endpoints themselves are sent without a token.
  const withoutToken = composeAttempt(limitGate ? [limitGate] : []);

  /** One call, in its span when a tracer or meter provider is registered. */
  function run(op: OperationMeta, input: RequestInput, callOptions: CallOptions = {}): Promise<Outcome> {
    const call = telemetry?.startCall(op, baseUrl, emit, clock);
    return call
      ? call.run(() => attempts(op, input, callOptions, call.emit))
      : attempts(op, input, callOptions, emit);
  }

  /** Attempts until one succeeds or the retry policy says stop: each attempt's gates do the rest. */
  async function attempts(
    op: OperationMeta,
    input: RequestInput,
    callOptions: CallOptions,
    emit: EventSink,
  ): Promise<Outcome> {
    const callerSignal = callOptions.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const attemptOnce: Exchange = op.token === 'none' ? withoutToken : withToken;
    const base = {
      op,
      input,
      baseUrl,
      send,
      ...(callerSignal && { callerSignal }),
      deadline: new CallDeadline(retry.deadlineMs, clock),
      timeoutMs: callOptions.timeoutMs ?? timeoutMs,
      emit,
      clock,
    } satisfies Omit<AttemptContext, 'attempt'>;
    for (let attempt = 1; ; attempt += 1) {
      const result = await attemptOnce({ ...base, attempt });
      if (result.kind === 'answer' && result.body.errcode === 0) {
        budget.deposit();
        return { body: result.body };
      }
      const failure = classifyFailure(result);
      const decision = decideRetry({
        failure,
        attempt,
        idempotent: op.idempotent,
        options: retry,
        ...(result.retryAfterMs !== undefined && { retryAfterMs: result.retryAfterMs }),
        now: clock.now(),
        remainingMs: base.deadline.remainingMs(),
        retryTokens: budget.available,
        jitter: Math.random(),
      });
      if (decision.action === 'outcome-unknown') {
        throw new WecomOutcomeUnknownError({
          operationId: op.operationId,
          cause: result.kind === 'failure' ? result.error : undefined,
        });
      }
      if (decision.action === 'stop') {
        if (result.kind === 'failure') throw result.error;
        return decision.note === undefined
          ? { body: result.body }
          : { body: result.body, note: decision.note };
      }
      budget.tryWithdraw();
      emit({
        type: 'retry',
        operationId: op.operationId,
        attempt,
        delayMs: decision.delayMs,
        reason: failure.kind,
        ...(failure.kind === 'errcode' && { errcode: failure.errcode }),
      });
      await sleep(decision.delayMs, callerSignal, clock);
    }
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

export { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from './transport-settings';
