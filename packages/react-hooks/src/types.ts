import type {
  DataTag,
  InfiniteData,
  MutationFunction,
  QueryClient,
  QueryFunction,
  QueryKey,
  SkipToken,
  UseInfiniteQueryOptions,
  UseInfiniteQueryResult,
  UseMutationOptions,
  UseMutationResult,
  UseQueryOptions,
  UseQueryResult,
  UseSuspenseInfiniteQueryOptions,
  UseSuspenseInfiniteQueryResult,
  UseSuspenseQueryOptions,
  UseSuspenseQueryResult,
} from '@tanstack/react-query';
import type {
  OperationId,
  OperationInput,
  OperationOutput,
  operations,
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

/** Reads a browser may run (getToken stays on the server): they have query options and hooks. */
export type ReadOperationId = Exclude<
  { [Op in OperationId]: (typeof operations)[Op]['idempotent'] extends true ? Op : never }[OperationId],
  'getToken'
>;
/** Writes: they have mutation options and hooks. */
export type WriteOperationId = Exclude<OperationId, ReadOperationId | 'getToken'>;
/** Reads that page: they have infinite options and hooks too. */
export type PagedReadOperationId = ReadOperationId & PaginatedOperationId;

/** Where a page of an infinite query starts: a checkpoint of the client's paginator, null for the first page. */
export type WecomPageParam = NonNullable<PaginateOptions['resumeFrom']> | null;

export type WecomQueryKey<Op extends OperationId, Input = OperationInput<Op>> = readonly [
  'wecom',
  Op,
  'query',
  Input,
];
export type WecomInfiniteQueryKey<Op extends OperationId, Input = OperationInput<Op>> = readonly [
  'wecom',
  Op,
  'infinite',
  Input,
];
/** What a mutation hook and `wecomKeys.operation` name: one operation. */
export type WecomOperationKey<Op extends OperationId> = readonly ['wecom', Op];
export type WecomInfiniteData<Op extends PaginatedOperationId> = InfiniteData<Page<Op>, WecomPageParam>;

type Output<Op extends OperationId> = OperationOutput<Op>;
type Skippable<Op extends OperationId> = OperationInput<Op> | SkipToken;

/** `[input]`, or `[input?]` when the operation has no required field. */
type InputArg<Op extends OperationId, Input> =
  Record<string, never> extends OperationInput<Op> ? [input?: Input] : [input: Input];

interface ClientOption {
  /** Overrides the client of `<WecomProvider>`. */
  client?: WecomClient;
}

/** What `<op>QueryOptions(input)` returns: usable with useQuery, useSuspenseQuery, prefetchQuery, … */
export type WecomQueryOptions<Op extends ReadOperationId> = Omit<
  UseQueryOptions<Output<Op>, WecomQueryError, Output<Op>, WecomQueryKey<Op>>,
  'queryKey' | 'queryFn'
> & {
  queryKey: DataTag<WecomQueryKey<Op>, Output<Op>, WecomQueryError>;
  queryFn: QueryFunction<Output<Op>, WecomQueryKey<Op>>;
};

/** What `<op>QueryOptions(input or skipToken)` returns: for useQuery, which skips while given skipToken. */
export type WecomSkippableQueryOptions<Op extends ReadOperationId> = Omit<
  UseQueryOptions<Output<Op>, WecomQueryError, Output<Op>, WecomQueryKey<Op, Skippable<Op>>>,
  'queryKey' | 'queryFn'
> & {
  queryKey: DataTag<WecomQueryKey<Op, Skippable<Op>>, Output<Op>, WecomQueryError>;
  queryFn: QueryFunction<Output<Op>, WecomQueryKey<Op, Skippable<Op>>> | SkipToken;
};

/** `<op>QueryOptions(input, client?)` */
export interface QueryOptionsFactory<Op extends ReadOperationId> {
  (...args: [...InputArg<Op, OperationInput<Op>>, client?: WecomClient]): WecomQueryOptions<Op>;
  (input: Skippable<Op>, client?: WecomClient): WecomSkippableQueryOptions<Op>;
}

export type WecomQueryHookOptions<Op extends ReadOperationId, TData> = Omit<
  UseQueryOptions<Output<Op>, WecomQueryError, TData, WecomQueryKey<Op, Skippable<Op>>>,
  'queryKey' | 'queryFn'
> &
  ClientOption;

export type WecomSuspenseQueryHookOptions<Op extends ReadOperationId, TData> = Omit<
  UseSuspenseQueryOptions<Output<Op>, WecomQueryError, TData, WecomQueryKey<Op>>,
  'queryKey' | 'queryFn'
> &
  ClientOption;

/** `use<Op>(input | skipToken, options?, queryClient?)` */
export type QueryHook<Op extends ReadOperationId> = <TData = Output<Op>>(
  ...args: [
    ...InputArg<Op, Skippable<Op>>,
    options?: WecomQueryHookOptions<Op, TData>,
    queryClient?: QueryClient,
  ]
) => UseQueryResult<TData, WecomQueryError>;

/** `useSuspense<Op>(input, options?, queryClient?)` */
export type SuspenseQueryHook<Op extends ReadOperationId> = <TData = Output<Op>>(
  ...args: [
    ...InputArg<Op, OperationInput<Op>>,
    options?: WecomSuspenseQueryHookOptions<Op, TData>,
    queryClient?: QueryClient,
  ]
) => UseSuspenseQueryResult<TData, WecomQueryError>;

type InfiniteKey<Op extends PagedReadOperationId> = WecomInfiniteQueryKey<Op>;
type SkippableInfiniteKey<Op extends PagedReadOperationId> = WecomInfiniteQueryKey<Op, Skippable<Op>>;

/**
 * What `<op>InfiniteOptions(input)` returns: for useInfiniteQuery, useSuspenseInfiniteQuery and
 * prefetchInfiniteQuery. Its queryFn is never skipToken, which is what the suspense hook asks for.
 */
export type WecomInfiniteOptions<Op extends PagedReadOperationId> = Omit<
  UseInfiniteQueryOptions<Page<Op>, WecomQueryError, WecomInfiniteData<Op>, InfiniteKey<Op>, WecomPageParam>,
  'queryKey' | 'queryFn'
> & {
  queryKey: DataTag<InfiniteKey<Op>, WecomInfiniteData<Op>, WecomQueryError>;
  queryFn: QueryFunction<Page<Op>, InfiniteKey<Op>, WecomPageParam>;
};

/** What `<op>InfiniteOptions(input or skipToken)` returns: for useInfiniteQuery. */
export type WecomSkippableInfiniteOptions<Op extends PagedReadOperationId> = Omit<
  UseInfiniteQueryOptions<
    Page<Op>,
    WecomQueryError,
    WecomInfiniteData<Op>,
    SkippableInfiniteKey<Op>,
    WecomPageParam
  >,
  'queryKey' | 'queryFn'
> & {
  queryKey: DataTag<SkippableInfiniteKey<Op>, WecomInfiniteData<Op>, WecomQueryError>;
  queryFn: QueryFunction<Page<Op>, SkippableInfiniteKey<Op>, WecomPageParam> | SkipToken;
};

/** `<op>InfiniteOptions(input, client?)` */
export interface InfiniteOptionsFactory<Op extends PagedReadOperationId> {
  (...args: [...InputArg<Op, OperationInput<Op>>, client?: WecomClient]): WecomInfiniteOptions<Op>;
  (input: Skippable<Op>, client?: WecomClient): WecomSkippableInfiniteOptions<Op>;
}

type PagingOptions = 'queryKey' | 'queryFn' | 'initialPageParam' | 'getNextPageParam';

export type WecomInfiniteHookOptions<Op extends PagedReadOperationId, TData> = Omit<
  UseInfiniteQueryOptions<Page<Op>, WecomQueryError, TData, SkippableInfiniteKey<Op>, WecomPageParam>,
  PagingOptions
> &
  ClientOption;

export type WecomSuspenseInfiniteHookOptions<Op extends PagedReadOperationId, TData> = Omit<
  UseSuspenseInfiniteQueryOptions<Page<Op>, WecomQueryError, TData, InfiniteKey<Op>, WecomPageParam>,
  PagingOptions
> &
  ClientOption;

/** `use<Op>Infinite(input | skipToken, options?, queryClient?)` */
export type InfiniteQueryHook<Op extends PagedReadOperationId> = <TData = WecomInfiniteData<Op>>(
  ...args: [
    ...InputArg<Op, Skippable<Op>>,
    options?: WecomInfiniteHookOptions<Op, TData>,
    queryClient?: QueryClient,
  ]
) => UseInfiniteQueryResult<TData, WecomQueryError>;

/** `useSuspense<Op>Infinite(input, options?, queryClient?)` */
export type SuspenseInfiniteQueryHook<Op extends PagedReadOperationId> = <TData = WecomInfiniteData<Op>>(
  ...args: [
    ...InputArg<Op, OperationInput<Op>>,
    options?: WecomSuspenseInfiniteHookOptions<Op, TData>,
    queryClient?: QueryClient,
  ]
) => UseSuspenseInfiniteQueryResult<TData, WecomQueryError>;

export interface WecomMutationExtras extends ClientOption {
  /**
   * What to refresh once the write succeeded. By default, the queries the write touches (see the
   * README); `false` refreshes nothing; a list of keys (`wecomKeys.*`) refreshes those instead.
   */
  invalidate?: false | readonly QueryKey[];
}

export type WecomMutationHookOptions<Op extends WriteOperationId, TOnMutateResult = unknown> = Omit<
  UseMutationOptions<Output<Op>, WecomQueryError, OperationInput<Op>, TOnMutateResult>,
  'mutationFn' | 'mutationKey'
> &
  WecomMutationExtras;

/** What `<op>MutationOptions(options?)` returns: for useMutation, or `queryClient.getMutationCache().build`. */
export type WecomMutationOptions<Op extends WriteOperationId, TOnMutateResult = unknown> = UseMutationOptions<
  Output<Op>,
  WecomQueryError,
  OperationInput<Op>,
  TOnMutateResult
> & {
  mutationKey: WecomOperationKey<Op>;
  mutationFn: MutationFunction<Output<Op>, OperationInput<Op>>;
};

/** `<op>MutationOptions(options?)` */
export type MutationOptionsFactory<Op extends WriteOperationId> = <TOnMutateResult = unknown>(
  options?: WecomMutationHookOptions<Op, TOnMutateResult>,
) => WecomMutationOptions<Op, TOnMutateResult>;

/** `use<Op>Mutation(options?, queryClient?)` */
export type MutationHook<Op extends WriteOperationId> = <TOnMutateResult = unknown>(
  options?: WecomMutationHookOptions<Op, TOnMutateResult>,
  queryClient?: QueryClient,
) => UseMutationResult<Output<Op>, WecomQueryError, OperationInput<Op>, TOnMutateResult>;
