export * from './generated/hooks';
export { wecomKeys } from './keys';
export { useWecomClient, WecomProvider, type WecomProviderProps } from './provider';
export type {
  InfiniteOptionsFactory,
  InfiniteQueryHook,
  MutationHook,
  QueryHook,
  QueryOptionsFactory,
  SuspenseQueryHook,
  WecomInfiniteData,
  WecomInfiniteHookOptions,
  WecomInfiniteOptions,
  WecomInfiniteQueryKey,
  WecomMutationHookOptions,
  WecomPageParam,
  WecomQueryError,
  WecomQueryHookOptions,
  WecomQueryKey,
  WecomQueryOptions,
  WecomSuspenseQueryHookOptions,
} from './types';
