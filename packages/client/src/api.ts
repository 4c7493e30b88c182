// Everything both builds export besides createWecomClient, which each builds from its own parts.
export type {
  CallOptions,
  SharedResources,
  SharedResourcesOptions,
  SpecDriftKind,
  TokenStore,
  WecomEvent,
} from '@wecom-kit/core';
export {
  // What the clients of one server process share (HTTP pool, limiter, token store, event sink).
  createSharedResources,
  DEFAULT_BASE_URL,
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomKitError,
  WecomNetworkError,
  WecomOutcomeUnknownError,
  WecomTimeoutError,
  WecomValidationError,
} from '@wecom-kit/core';
export type { WecomClient, WecomClientOptions, WecomFetchResult } from './client';
export { inputConstraints } from './generated/constraints';
export { operations } from './generated/operations';
export type { components, operations as OperationTypes, paths } from './generated/schema';
export type { Page, PaginateOptions, Paginator, WindowOrder } from './paginate';
export type { SpecCheckOptions } from './spec-check/spec-check';
export type {
  ConstraintTable,
  FieldRule,
  OperationSpec,
  OperationTable,
  PaginationRule,
  ResponseShape,
  WindowRule,
} from './table';
export type {
  OperationId,
  OperationInput,
  OperationItem,
  OperationOutput,
  PaginatedOperationId,
} from './types';
export {
  findViolation,
  type InputRules,
  type InputValidator,
  type InputViolation,
  specValidation,
  validateInput,
} from './validate';
