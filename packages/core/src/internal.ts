// Helpers the other wecom-kit packages build on (the client's pagination, the bench, tests). Not
// an extension point: this subpath changes with the packages that use it, without a major release.
export { anySignal, raceSignal, sleep } from './abort';
export { type AttemptContext, type AttemptGate, type AttemptResult, composeAttempt } from './attempt';
export { localBudget, SUB_WINDOWS, SubWindows } from './budget';
export { type MapConcurrentOptions, mapConcurrent } from './concurrency';
export { CallDeadline } from './deadline';
export { adviceFor, classifyErrcode, type ErrcodeClass, isTokenRejection } from './errcodes';
export { createEventSink } from './events';
export { buildUrl, parseWecomAnswer, type WecomBody } from './http';
export { ManualClock } from './manual-clock';
export {
  type Page,
  type PagePosition,
  type PageStream,
  type PaginateOptions,
  type PaginationSpec,
  type PaginationStyle,
  paginate,
} from './paginate';
export {
  type AttemptFailure,
  backoffDelay,
  classifyFailure,
  decideRetry,
  RetryBudget,
  type RetryDecision,
  type RetryInputs,
  type RetryVerdict,
  resolveRetryOptions,
  retryVerdict,
} from './retry';
export { loadTelemetry } from './telemetry/load';
export {
  type CallTelemetry,
  type ServerSpanNote,
  serveTraced,
  type Telemetry,
  type TokenFetchTracer,
  withTelemetry,
} from './telemetry/types';
export { secretFingerprint, type TokenIdentity, tokenCacheKey } from './token/cache-key';
export { gettokenIssuer } from './token/gettoken';
export type { IssueContext, TokenIssuer } from './token/issuer';
export { TokenProvider, type TokenProviderOptions } from './token/provider';
export type { IssuedToken } from './token/request';
export { providerTokenIssuer, suiteTokenIssuer, thirdPartyCorpTokenIssuer } from './token/service-issuers';
export { splitWindow, type TimeWindow, type WindowInterval, type WindowUnit } from './window';
