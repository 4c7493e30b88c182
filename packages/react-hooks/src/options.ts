import {
  type InfiniteData,
  type MutationFunctionContext,
  type QueryClient,
  type QueryFunctionContext,
  type QueryKey,
  replaceEqualDeep,
  skipToken,
} from '@tanstack/react-query';
import type { CallOptions, PaginateOptions, WecomClient } from '@wecom-kit/client';
import { resolveClient } from './clients';
import { type Invalidations, refreshKeys, refreshTouched } from './invalidate';
import type {
  InfiniteOptionsFactory,
  MutationOptionsFactory,
  PagedReadOperationId,
  QueryOptionsFactory,
  ReadOperationId,
  WecomPageParam,
  WriteOperationId,
} from './types';

// The generated factories are typed per operation (see ./types); underneath, one untyped
// implementation serves every operation, which keeps the bundle small.

/**
 * How long a read stays fresh: WeCom counts calls per minute, per corp and per API, and the proxy
 * serves every user of the app from that one budget, so a remount or a window focus within a
 * minute of the last fetch reuses the cache. Override it per query (`staleTime` option) where a
 * view must be newer; a write refreshes what it touched whatever the staleTime.
 */
export const WECOM_STALE_TIME = 60_000;

interface AnyPage {
  items: unknown[];
  checkpoint: WecomPageParam | undefined;
}

interface UntypedClient {
  call(operationId: string, input: unknown, options?: CallOptions): Promise<unknown>;
  paginate(operationId: string, input: unknown, options: PaginateOptions): AsyncIterable<AnyPage>;
}

function clientFor(client: WecomClient | undefined, queryClient: QueryClient, operationId: string) {
  return resolveClient(client, queryClient, operationId) as unknown as UntypedClient;
}

type Input = object | typeof skipToken | undefined;

function readOptions(operationId: string, kind: 'query' | 'infinite', input: Input) {
  const normalized = input ?? {};
  return {
    queryKey: ['wecom', operationId, kind, normalized] as const,
    normalized,
    // The client already retries what is safe to retry, with backoff and a shared budget.
    retry: false,
    staleTime: WECOM_STALE_TIME,
  };
}

export const queryOptionsOf = <Op extends ReadOperationId>(operationId: Op) =>
  ((input: Input, client?: WecomClient) => {
    const { normalized, ...options } = readOptions(operationId, 'query', input);
    return {
      ...options,
      queryFn:
        normalized === skipToken
          ? skipToken
          : ({ signal, client: queryClient }: QueryFunctionContext) =>
              clientFor(client, queryClient, operationId).call(operationId, normalized, { signal }),
    };
  }) as unknown as QueryOptionsFactory<Op>;

export const infiniteOptionsOf = <Op extends PagedReadOperationId>(operationId: Op) =>
  ((input: Input, client?: WecomClient) => {
    const { normalized, ...options } = readOptions(operationId, 'infinite', input);
    return {
      ...options,
      queryFn:
        normalized === skipToken
          ? skipToken
          : ({ pageParam, signal, client: queryClient }: QueryFunctionContext<QueryKey, WecomPageParam>) =>
              nextPageWithItems(
                clientFor(client, queryClient, operationId).paginate(operationId, normalized, {
                  signal,
                  ...(pageParam && { resumeFrom: pageParam }),
                }),
              ),
      initialPageParam: null,
      getNextPageParam: (page: AnyPage) => page.checkpoint,
      structuralSharing: endOnLastPageWithItems,
    };
  }) as unknown as InfiniteOptionsFactory<Op>;

/**
 * The client's paginator walks cursors, offsets, pages and time windows (in the client's order);
 * a window of a long range may hold nothing, so one page of an infinite query is the next page
 * that has items, or, when none is left, the empty end of the walk.
 */
async function nextPageWithItems(pages: AsyncIterable<AnyPage>): Promise<AnyPage> {
  let page: AnyPage | undefined;
  for await (page of pages) if (page.items.length > 0) break;
  return page as AnyPage;
}

/**
 * Where "load more" found only the empty end of the walk, the cache keeps the pages before it and
 * marks the last of them as the end, so the pages end on the last one with items and
 * `hasNextPage` turns false. Runs where TanStack stores fetched data (and the result of `select`,
 * which it leaves alone unless that is a walk too).
 */
function endOnLastPageWithItems(previous: unknown, next: unknown): unknown {
  const walk = next as Partial<InfiniteData<AnyPage, WecomPageParam>>;
  const last = (walk.pages?.length ?? 0) - 1;
  const ended = last > 0 && walk.pages?.[last]?.items?.length === 0 && walk.pageParams;
  const trimmed = ended
    ? {
        pages: [
          ...(walk.pages?.slice(0, last - 1) ?? []),
          { ...walk.pages?.[last - 1], checkpoint: undefined },
        ],
        pageParams: walk.pageParams?.slice(0, last),
      }
    : next;
  return replaceEqualDeep(previous, trimmed);
}

interface MutationExtras {
  client?: WecomClient;
  invalidate?: false | readonly QueryKey[];
  onSuccess?: (data: unknown, input: object, result: unknown, context: MutationFunctionContext) => unknown;
  [option: string]: unknown;
}

export const mutationOptionsOf = <Op extends WriteOperationId>(operationId: Op, touches: Invalidations) =>
  (({ client, invalidate, onSuccess, ...options }: MutationExtras = {}) => ({
    mutationKey: ['wecom', operationId],
    mutationFn: (input: object | undefined, { client: queryClient }: MutationFunctionContext) =>
      clientFor(client, queryClient, operationId).call(operationId, input ?? {}),
    ...options,
    onSuccess: (data: unknown, input: object, result: unknown, context: MutationFunctionContext) => {
      // Not awaited: the mutation settles when WeCom answered; the views refresh on their own.
      if (invalidate) refreshKeys(context.client, invalidate);
      else if (invalidate !== false) refreshTouched(context.client, touches, input);
      return onSuccess?.(data, input, result, context);
    },
  })) as unknown as MutationOptionsFactory<Op>;
