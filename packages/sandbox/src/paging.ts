import type { PaginationRule } from '@wecom-kit/client';
import type { CursorCodec } from './cursor';
import type { Listing } from './listing';

export interface PageSlice<T> {
  items: T[];
  /** Response fields that describe the position: next_cursor, or next_offset + total, or is_last. */
  position: Record<string, unknown>;
}

/**
 * Serves one page of `all` the way the operation's pagination rule says WeCom does, including
 * what happens to a limit above the maximum (clamped, or silently replaced by the default).
 * It only asks `all` for its length and the page's slice, so a lazy listing builds just that page.
 */
export function slicePage<T>(
  all: Listing<T>,
  input: Record<string, unknown>,
  rule: PaginationRule,
  scope: string,
  cursors: CursorCodec,
): PageSlice<T> {
  const limit = effectiveLimit(input, rule);
  if (rule.style === 'offset') {
    const offset = Math.max(0, Number(input[rule.offsetParam as string] ?? 0));
    const items = all.slice(offset, offset + limit);
    return {
      items,
      position: {
        [rule.totalField as string]: all.length,
        [rule.nextOffsetField as string]: offset + items.length,
      },
    };
  }
  if (rule.style === 'page') {
    const page = Math.max(0, Number(input[rule.pageParam as string] ?? 0));
    const items = all.slice(page * limit, (page + 1) * limit);
    return { items, position: { [rule.isLastField as string]: (page + 1) * limit >= all.length } };
  }
  const start = cursors.decode(scope, input[rule.cursorParam as string] as string | undefined);
  const items = all.slice(start, start + limit);
  const end = start + items.length;
  return {
    items,
    position: { [rule.nextCursorField as string]: end < all.length ? cursors.encode(scope, end) : '' },
  };
}

function effectiveLimit(input: Record<string, unknown>, rule: PaginationRule): number {
  const fallback = rule.defaultLimit ?? rule.maxLimit ?? 100;
  const requested = rule.limitParam ? input[rule.limitParam] : undefined;
  if (typeof requested !== 'number' || requested <= 0) return fallback;
  if (rule.maxLimit !== undefined && requested > rule.maxLimit) {
    return rule.overMax === 'default' ? fallback : rule.maxLimit;
  }
  return requested;
}
