import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useSuspenseInfiniteQuery,
  useSuspenseQuery,
} from '@tanstack/react-query';
import type { WecomClient } from '@wecom-kit/client';
import type {
  InfiniteOptionsFactory,
  InfiniteQueryHook,
  MutationHook,
  MutationOptionsFactory,
  PagedReadOperationId,
  QueryHook,
  QueryOptionsFactory,
  ReadOperationId,
  SuspenseInfiniteQueryHook,
  SuspenseQueryHook,
  WriteOperationId,
} from './types';

// Each hook is its options factory handed to the TanStack hook, with the hook's options on top;
// the client is looked up when a request goes out, so rendering cached data needs no provider.

type UntypedFactory = (input: unknown, client?: WecomClient) => object;
type UntypedHook = (options: object, queryClient?: QueryClient) => unknown;

const readHookOf =
  (useTanStackHook: UntypedHook) =>
  (factory: unknown) =>
  (input: unknown, { client, ...options }: { client?: WecomClient } = {}, queryClient?: QueryClient) =>
    useTanStackHook({ ...(factory as UntypedFactory)(input, client), ...options }, queryClient);

export const queryHookOf = /* @__PURE__ */ readHookOf(useQuery as UntypedHook) as <
  Op extends ReadOperationId,
>(
  factory: QueryOptionsFactory<Op>,
) => QueryHook<Op>;

export const suspenseQueryHookOf = /* @__PURE__ */ readHookOf(useSuspenseQuery as UntypedHook) as <
  Op extends ReadOperationId,
>(
  factory: QueryOptionsFactory<Op>,
) => SuspenseQueryHook<Op>;

export const infiniteQueryHookOf = /* @__PURE__ */ readHookOf(useInfiniteQuery as UntypedHook) as <
  Op extends PagedReadOperationId,
>(
  factory: InfiniteOptionsFactory<Op>,
) => InfiniteQueryHook<Op>;

export const suspenseInfiniteQueryHookOf = /* @__PURE__ */ readHookOf(
  useSuspenseInfiniteQuery as UntypedHook,
) as <Op extends PagedReadOperationId>(factory: InfiniteOptionsFactory<Op>) => SuspenseInfiniteQueryHook<Op>;

export const mutationHookOf =
  <Op extends WriteOperationId>(factory: MutationOptionsFactory<Op>): MutationHook<Op> =>
  (options, queryClient) =>
    useMutation(factory(options), queryClient);
