import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  useSuspenseQuery,
} from '@tanstack/react-query';
import type {
  CallOptions,
  OperationId,
  PaginatedOperationId,
  PaginateOptions,
  WecomClient,
} from '@wecom-kit/client';
import { wecomKeys } from './keys';
import { resolveClient } from './provider';
import type {
  InfiniteOptionsFactory,
  InfiniteQueryHook,
  MutationHook,
  QueryHook,
  QueryOptionsFactory,
  SuspenseQueryHook,
  WecomPageParam,
} from './types';

// The generated hooks are typed per operation (see ./types); underneath, one untyped
// implementation serves every operation, which keeps the bundle small.

interface AnyPage {
  items: unknown[];
  checkpoint: WecomPageParam | undefined;
}

interface UntypedClient {
  call(operationId: string, input: unknown, options?: CallOptions): Promise<unknown>;
  paginate(operationId: string, input: unknown, options: PaginateOptions): AsyncIterable<AnyPage>;
}

interface HookExtras {
  client?: WecomClient;
  [option: string]: unknown;
}

function untyped(client: WecomClient): UntypedClient {
  return client as unknown as UntypedClient;
}

function buildQueryOptions(operationId: string, input: unknown, client: WecomClient | undefined) {
  const normalized = input ?? {};
  return queryOptions({
    queryKey: wecomKeys.query(operationId, normalized),
    queryFn: ({ signal, client: queryClient }) =>
      untyped(resolveClient(client, queryClient, operationId)).call(operationId, normalized, { signal }),
    // The client already retries what is safe to retry, with backoff and a shared budget.
    retry: false,
  });
}

function buildInfiniteOptions(operationId: string, input: unknown, client: WecomClient | undefined) {
  const normalized = input ?? {};
  return infiniteQueryOptions({
    queryKey: wecomKeys.infinite(operationId, normalized),
    queryFn: ({ pageParam, signal, client: queryClient }) =>
      nextPageWithItems(
        untyped(resolveClient(client, queryClient, operationId)).paginate(operationId, normalized, {
          signal,
          ...(pageParam && { resumeFrom: pageParam }),
        }),
      ),
    initialPageParam: null as WecomPageParam,
    getNextPageParam: (page: AnyPage) => page.checkpoint,
    retry: false,
  });
}

/**
 * The client's paginator walks cursors, offsets, pages and time windows; a window of a long range
 * may hold nothing, so one page of an infinite query is the next page that has items (or the
 * last), and "load more" never shows an empty step.
 */
async function nextPageWithItems(pages: AsyncIterable<AnyPage>): Promise<AnyPage> {
  let page: AnyPage | undefined;
  for await (page of pages) if (page.items.length > 0) break;
  return page as AnyPage;
}

export const queryOptionsOf = <Op extends OperationId>(operationId: Op) =>
  ((input?: unknown, client?: WecomClient) =>
    buildQueryOptions(operationId, input, client)) as unknown as QueryOptionsFactory<Op>;

export const queryHookOf = <Op extends OperationId>(operationId: Op) =>
  ((input?: unknown, { client, ...options }: HookExtras = {}) =>
    useQuery({
      ...buildQueryOptions(operationId, input, resolveClient(client, useQueryClient(), operationId)),
      ...options,
    })) as unknown as QueryHook<Op>;

export const suspenseQueryHookOf = <Op extends OperationId>(operationId: Op) =>
  ((input?: unknown, { client, ...options }: HookExtras = {}) =>
    useSuspenseQuery({
      ...buildQueryOptions(operationId, input, resolveClient(client, useQueryClient(), operationId)),
      ...options,
    })) as unknown as SuspenseQueryHook<Op>;

export const infiniteOptionsOf = <Op extends PaginatedOperationId>(operationId: Op) =>
  ((input?: unknown, client?: WecomClient) =>
    buildInfiniteOptions(operationId, input, client)) as unknown as InfiniteOptionsFactory<Op>;

export const infiniteQueryHookOf = <Op extends PaginatedOperationId>(operationId: Op) =>
  ((input?: unknown, { client, ...options }: HookExtras = {}) =>
    useInfiniteQuery({
      ...buildInfiniteOptions(operationId, input, resolveClient(client, useQueryClient(), operationId)),
      ...options,
    })) as unknown as InfiniteQueryHook<Op>;

interface MutationExtras {
  client?: WecomClient;
  onSuccess?: (...args: unknown[]) => unknown;
  [option: string]: unknown;
}

export const mutationHookOf = <Op extends OperationId>(
  operationId: Op,
  invalidates: readonly OperationId[],
) =>
  (({ client, onSuccess, ...options }: MutationExtras = {}) => {
    const queryClient = useQueryClient();
    const wecom = untyped(resolveClient(client, queryClient, operationId));
    return useMutation({
      mutationKey: wecomKeys.operation(operationId),
      mutationFn: (input: unknown) => wecom.call(operationId, input ?? {}),
      ...options,
      // Awaiting the refetches keeps the mutation pending until the views that show its effect are fresh.
      onSuccess: async (...args: unknown[]) => {
        await Promise.all(
          invalidates.map((invalidated) =>
            queryClient.invalidateQueries({ queryKey: wecomKeys.operation(invalidated) }),
          ),
        );
        return onSuccess?.(...args);
      },
    });
  }) as unknown as MutationHook<Op>;
