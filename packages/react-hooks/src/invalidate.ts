import type { Query, QueryClient, QueryFilters, QueryKey } from '@tanstack/react-query';

/**
 * Which queries of one read a write touches, as codegen derives it from the spec:
 * - `input`: the fields both inputs have (markTag's and getExternalContact's `external_userid`):
 *   a query is touched when its value and the write's overlap (or either leaves the field out);
 * - `contains`: id fields of the write that the read's output holds (markTag's `external_userid`
 *   and `userid` in batchGetByUser's pages): a query is touched when its data holds them all;
 * - neither: every query of the read (a new tag belongs in every tag list).
 */
export interface InvalidationRule {
  input?: readonly string[];
  contains?: readonly string[];
}

/** The reads a write invalidates (the spec's `x-wecom-invalidates`), each with its rule. */
export type Invalidations = Readonly<Record<string, InvalidationRule>>;

type Fields = Record<string, unknown>;

export function refreshTouched(queryClient: QueryClient, invalidations: Invalidations, input: object): void {
  for (const [operationId, rule] of Object.entries(invalidations)) {
    refresh(queryClient, {
      queryKey: ['wecom', operationId],
      predicate: (query) => touches(rule, input as Fields, query),
    });
  }
}

export function refreshKeys(queryClient: QueryClient, keys: readonly QueryKey[]): void {
  for (const queryKey of keys) refresh(queryClient, { queryKey });
}

/**
 * Marks the queries stale and refetches the ones on screen (TanStack's `refetchType: 'active'`);
 * the others refetch when next used. An infinite list starts again from its first page: refetching
 * every page it loaded would cost one request each, one after the other.
 */
function refresh(queryClient: QueryClient, filters: QueryFilters): void {
  for (const query of queryClient.getQueryCache().findAll(filters)) {
    if (query.queryKey[2] === 'infinite') queryClient.setQueryData(query.queryKey, firstPageOnly);
  }
  void queryClient.invalidateQueries(filters);
}

function firstPageOnly(data: { pages: unknown[]; pageParams: unknown[] } | undefined) {
  return data && { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) };
}

function touches(rule: InvalidationRule, write: Fields, query: Query): boolean {
  const read = query.queryKey[3];
  if (rule.input) {
    return rule.input.every(
      (field) =>
        typeof read !== 'object' ||
        write[field] === undefined ||
        (read as Fields)[field] === undefined ||
        overlap(write[field], (read as Fields)[field]),
    );
  }
  const data = query.state.data;
  // A query without data yet shows nothing stale, but may be fetching the state before the write.
  if (rule.contains && data !== undefined) {
    return rule.contains.every((field) => holds(data, field, write[field]));
  }
  return true;
}

function overlap(a: unknown, b: unknown): boolean {
  const values = [a].flat();
  return [b].flat().some((value) => values.includes(value));
}

/** Whether `value` (or one of its values) sits under `field` anywhere in `data`. Linear in its size. */
function holds(data: unknown, field: string, value: unknown): boolean {
  const pending: unknown[] = [data];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node || typeof node !== 'object') continue;
    if (field in node && overlap(value, (node as Fields)[field])) return true;
    pending.push(...(Array.isArray(node) ? node : Object.values(node)));
  }
  return false;
}
