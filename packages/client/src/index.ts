export type { CallOptions, TokenStore, WecomEvent } from '@wecom-kit/core';
export {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomKitError,
  WecomNetworkError,
  WecomOutcomeUnknownError,
  WecomTimeoutError,
  WecomValidationError,
} from '@wecom-kit/core';
export {
  createWecomClient,
  DEFAULT_BASE_URL,
  type WecomClient,
  type WecomClientOptions,
  type WecomFetchResult,
} from './client';
export { operations } from './generated/operations';
export type { components, operations as OperationTypes, paths } from './generated/schema';
export type { Page, PaginateOptions, Paginator } from './paginate';
export type { FieldRule, OperationSpec, OperationTable, PaginationRule, WindowRule } from './table';
export type {
  OperationId,
  OperationInput,
  OperationItem,
  OperationOutput,
  PaginatedOperationId,
} from './types';
export { validateInput } from './validate';
