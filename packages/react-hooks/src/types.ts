import type {
  DataTag,
  InfiniteData,
  QueryFunction,
  UndefinedInitialDataInfiniteOptions,
  UseInfiniteQueryResult,
  UseMutationOptions,
  UseMutationResult,
  UseQueryOptions,
  UseQueryResult,
  UseSuspenseQueryOptions,
  UseSuspenseQueryResult,
} from '@tanstack/react-query';
import type {
  OperationId,
  OperationInput,
  OperationOutput,
  Page,
  PaginatedOperationId,
  PaginateOptions,
  WecomClient,
  WecomKitError,
} from '@wecom-kit/client';

/**
 * What every hook's `error` holds: a WecomError when WeCom (or the proxy) answered with an
 * errcode; a WecomValidationError, WecomNetworkError, WecomTimeoutError, … otherwise. Narrow with
 * `instanceof WecomError` to read `errcode` and `hint`.
 */
export type WecomQueryError = WecomKitError;

/** Where a page of an infinite query starts: a checkpoint of the client's paginator, null for the first page. */
export type WecomPageParam = NonNullable<PaginateOptions['resumeFrom']> | null;

export type WecomQueryKey<Op extends OperationId> = readonly ['wecom', Op, 'query', OperationInput<Op>];
export type WecomInfiniteQueryKey<Op extends OperationId> = readonly [
  'wecom',
  Op,
  'infinite',
  OperationInput<Op>,
];
export type WecomInfiniteData<Op extends PaginatedOperationId> = InfiniteData<Page<Op>, WecomPageParam>;

/** `input` may be left out when the operation has no required field. */
export type WithInput<Op extends OperationId, Extra> =
  Record<string, never> extends OperationInput<Op>
    ? [input?: OperationInput<Op>, extra?: Extra]
    : [input: OperationInput<Op>, extra?: Extra];

interface ClientOption {
  /** Overrides the client of `<WecomProvider>`. */
  client?: WecomClient;
}

export type WecomQueryOptions<Op extends OperationId> = UseQueryOptions<
  OperationOutput<Op>,
  WecomQueryError,
  OperationOutput<Op>,
  WecomQueryKey<Op>
> & {
  queryKey: DataTag<WecomQueryKey<Op>, OperationOutput<Op>, WecomQueryError>;
  queryFn: QueryFunction<OperationOutput<Op>, WecomQueryKey<Op>>;
};

export type WecomQueryHookOptions<Op extends OperationId, TData> = Omit<
  UseQueryOptions<OperationOutput<Op>, WecomQueryError, TData, WecomQueryKey<Op>>,
  'queryKey' | 'queryFn'
> &
  ClientOption;

export type WecomSuspenseQueryHookOptions<Op extends OperationId, TData> = Omit<
  UseSuspenseQueryOptions<OperationOutput<Op>, WecomQueryError, TData, WecomQueryKey<Op>>,
  'queryKey' | 'queryFn'
> &
  ClientOption;

type InfiniteOptions<Op extends PaginatedOperationId> = UndefinedInitialDataInfiniteOptions<
  Page<Op>,
  WecomQueryError,
  WecomInfiniteData<Op>,
  WecomInfiniteQueryKey<Op>,
  WecomPageParam
>;

export type WecomInfiniteOptions<Op extends PaginatedOperationId> = InfiniteOptions<Op> & {
  queryKey: DataTag<WecomInfiniteQueryKey<Op>, WecomInfiniteData<Op>, WecomQueryError>;
};

export type WecomInfiniteHookOptions<Op extends PaginatedOperationId> = Omit<
  InfiniteOptions<Op>,
  'queryKey' | 'queryFn' | 'initialPageParam' | 'getNextPageParam'
> &
  ClientOption;

export type WecomMutationHookOptions<Op extends OperationId, TContext> = Omit<
  UseMutationOptions<OperationOutput<Op>, WecomQueryError, OperationInput<Op>, TContext>,
  'mutationFn'
> &
  ClientOption;

/** `<op>QueryOptions(input, client?)`: options for useQuery, useSuspenseQuery, prefetchQuery, … */
export type QueryOptionsFactory<Op extends OperationId> = (
  ...args: WithInput<Op, WecomClient>
) => WecomQueryOptions<Op>;

/** `use<Op>(input, options?)` */
export type QueryHook<Op extends OperationId> = <TData = OperationOutput<Op>>(
  ...args: WithInput<Op, WecomQueryHookOptions<Op, TData>>
) => UseQueryResult<TData, WecomQueryError>;

/** `useSuspense<Op>(input, options?)` */
export type SuspenseQueryHook<Op extends OperationId> = <TData = OperationOutput<Op>>(
  ...args: WithInput<Op, WecomSuspenseQueryHookOptions<Op, TData>>
) => UseSuspenseQueryResult<TData, WecomQueryError>;

/** `<op>InfiniteOptions(input, client?)`: options for useInfiniteQuery and prefetchInfiniteQuery. */
export type InfiniteOptionsFactory<Op extends PaginatedOperationId> = (
  ...args: WithInput<Op, WecomClient>
) => WecomInfiniteOptions<Op>;

/** `use<Op>Infinite(input, options?)` */
export type InfiniteQueryHook<Op extends PaginatedOperationId> = (
  ...args: WithInput<Op, WecomInfiniteHookOptions<Op>>
) => UseInfiniteQueryResult<WecomInfiniteData<Op>, WecomQueryError>;

/** `use<Op>Mutation(options?)` */
export type MutationHook<Op extends OperationId> = <TContext = unknown>(
  options?: WecomMutationHookOptions<Op, TContext>,
) => UseMutationResult<OperationOutput<Op>, WecomQueryError, OperationInput<Op>, TContext>;
