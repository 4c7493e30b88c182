// The extension points of the runtime: what an app configures, implements or catches. The helpers
// the client builds on live in `@wecom-kit/core/internal`, which follows the client's version.
export { createBrowserTransport } from './browser-transport';
export type { Budget, BudgetCell, BudgetVerdict } from './budget';
// Callbacks run on Node (node:crypto, an XML parser): their runtime lives in `@wecom-kit/core/callbacks`,
// and only their types are exported here, so the root stays browser-safe.
export type * from './callbacks/index';
export { type Clock, systemClock } from './clock';
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
export type { EventSink, RetryReason, SpecDriftKind, TokenOperationId, WecomEvent } from './events';
export { type HttpAnswer, type HttpRequest, type HttpSend, PROXY_RETRIED_HEADER } from './http';
export {
  type AcquireOptions,
  type Admission,
  DEFAULT_RATE_LIMIT_OPTIONS,
  type LimiterKey,
  LimiterPausedError,
  type RateLimiter,
  type RateLimitOptions,
} from './limiter';
export type { CallOptions, OperationMeta, OperationToken, RequestInput } from './operation';
export { QueuedLimiter, type QueuedLimiterOptions } from './queued-limiter';
export { REDACTED, redact, redactUrl, redactValue, registerSensitiveValue } from './redact';
export { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './retry';
export { createSharedResources, type SharedResources, type SharedResourcesOptions } from './shared';
export {
  createSuite,
  customizedApp,
  type Suite,
  type SuiteOptions,
  serviceProvider,
  type TokenSourceSettings,
  type WecomAuth,
} from './token/auth';
export { MemoryTokenStore } from './token/memory-store';
export type { RefreshLock, StoredToken, TokenKind, TokenSource, TokenStore } from './token/store';
export { MemorySuiteTicketStore, SUITE_TICKET_TTL_MS, type SuiteTicketStore } from './token/suite-tickets';
export {
  createTransport,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type Transport,
  type TransportOptions,
} from './transport';
