export { anySignal, raceSignal, sleep } from './abort';
export { createBrowserTransport } from './browser-transport';
// Callbacks run on Node (node:crypto, an XML parser): their runtime lives in `@wecom-kit/core/callbacks`,
// and only their types are exported here, so the root stays browser-safe.
export type * from './callbacks/index';
export { type MapConcurrentOptions, mapConcurrent } from './concurrency';
export {
  adviceFor,
  classifyErrcode,
  type ErrcodeClass,
  isTokenRejection,
} from './errcodes';
export {
  WecomConfigError,
  type WecomConfigErrorInit,
  WecomError,
  type WecomErrorInit,
  WecomHttpError,
  type WecomHttpErrorInit,
  type WecomHttpErrorReason,
  WecomKitError,
  type WecomKitErrorInit,
  WecomNetworkError,
  type WecomNetworkErrorInit,
  WecomOutcomeUnknownError,
  type WecomOutcomeUnknownErrorInit,
  WecomTimeoutError,
  type WecomTimeoutErrorInit,
  WecomValidationError,
  type WecomValidationErrorInit,
} from './errors';
export {
  createEventSink,
  type EventSink,
  type RetryReason,
  type SpecDriftKind,
  type WecomEvent,
} from './events';
export {
  buildUrl,
  type HttpAnswer,
  type HttpRequest,
  type HttpSend,
  PROXY_RETRIED_HEADER,
  parseWecomAnswer,
  type WecomBody,
} from './http';
export {
  type AcquireOptions,
  type Admission,
  DEFAULT_RATE_LIMIT_OPTIONS,
  type LimiterKey,
  LimiterPausedError,
  type RateLimiter,
  type RateLimitOptions,
  SlidingWindowLimiter,
} from './limiter';
export type { CallOptions, OperationMeta, RequestInput } from './operation';
export {
  type Page,
  type PagePosition,
  type PageStream,
  type PaginateOptions,
  type PaginationSpec,
  type PaginationStyle,
  paginate,
} from './paginate';
export { REDACTED, redact, redactUrl, redactValue, registerSensitiveValue } from './redact';
export {
  type AttemptFailure,
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  RetryBudget,
  type RetryOptions,
  type RetryVerdict,
  resolveRetryOptions,
  retryVerdict,
} from './retry';
export { type TokenIdentity, tokenCacheKey } from './token/cache-key';
export { MemoryTokenStore } from './token/memory-store';
export { TokenProvider, type TokenProviderOptions } from './token/provider';
export type { RefreshLock, StoredToken, TokenSource, TokenStore } from './token/store';
export {
  createTransport,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type Transport,
  type TransportOptions,
} from './transport';
export { splitWindow, type TimeWindow, type WindowInterval, type WindowUnit } from './window';
