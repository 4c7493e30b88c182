import { WecomKitError } from './errors';

export type PaginationStyle = 'cursor' | 'offset' | 'page';

/** How an operation pages; the generated operation table carries one per list operation. */
export interface PaginationSpec {
  readonly style: PaginationStyle;
  /** The list in each answer, e.g. moment_list. */
  readonly itemsField: string;
  /** Default cursor. */
  readonly cursorParam?: string;
  /** Default next_cursor. "" or absent means done. */
  readonly nextCursorField?: string;
  /** Default offset. */
  readonly offsetParam?: string;
  /** Default next_offset. */
  readonly nextOffsetField?: string;
  /** Default total. Done once next_offset reaches it. */
  readonly totalField?: string;
  /** Default page_id (0-based). */
  readonly pageParam?: string;
  /** Default is_last. */
  readonly isLastField?: string;
  /** The page-size parameter, lowered on the last page when maxItems is near. */
  readonly limitParam?: string;
}

/** A cursor, an offset or a page number, depending on the style. */
export type PagePosition = string | number;

export interface PaginateOptions {
  /** Stop after this many pages. */
  maxPages?: number;
  /** Stop after this many items; the last page's items are cut to fit. */
  maxItems?: number;
  /** Resume from a page's `checkpoint`. */
  startCursor?: PagePosition;
  /** Named in errors. */
  operationId?: string;
}

export interface Page<Body = Record<string, unknown>, Item = unknown> {
  /** The whole answer, unknown fields included. */
  readonly body: Body;
  readonly items: Item[];
  /** 1-based. */
  readonly pageNumber: number;
  /** The position this page was fetched from (undefined for a first page without one). */
  readonly cursor: PagePosition | undefined;
  /** Where the next page starts: pass it as `startCursor` to resume after this page. Undefined on the last page. */
  readonly checkpoint: PagePosition | undefined;
}

export interface PageStream<Body = Record<string, unknown>, Item = unknown>
  extends AsyncIterable<Page<Body, Item>> {
  /** The items of every page, one by one. */
  items(): AsyncIterable<Item>;
}

type Input = Record<string, unknown>;

/**
 * Pages lazily through a list operation: each page is requested only when the loop asks for it,
 * so `break` stops at once. A cursor or offset that does not move forward throws instead of looping.
 */
export function paginate<Body extends Input = Input, Item = unknown>(
  spec: PaginationSpec,
  fetchPage: (input: Input) => Promise<Body>,
  input: Input,
  options: PaginateOptions = {},
): PageStream<Body, Item> {
  async function* pages(): AsyncGenerator<Page<Body, Item>> {
    const positionParam = positionParamOf(spec);
    let position: PagePosition | undefined =
      options.startCursor ?? (input[positionParam] as PagePosition | undefined);
    const seen = new Set<PagePosition>();
    let itemsLeft = options.maxItems ?? Number.POSITIVE_INFINITY;
    for (
      let pageNumber = 1;
      pageNumber <= (options.maxPages ?? Number.POSITIVE_INFINITY) && itemsLeft > 0;
      pageNumber++
    ) {
      const request = requestFor(spec, input, positionParam, position, itemsLeft);
      const body = await fetchPage(request);
      const list = body[spec.itemsField];
      const allItems = (Array.isArray(list) ? list : []) as Item[];
      const items = allItems.length > itemsLeft ? allItems.slice(0, itemsLeft) : allItems;
      itemsLeft -= items.length;
      const here = effectivePosition(spec, position);
      if (here !== undefined) seen.add(here);
      const next = nextPosition(spec, body, here, allItems.length);
      const goesBack = spec.style !== 'cursor' && typeof next === 'number' && next <= Number(here);
      if (next !== undefined && (seen.has(next) || goesBack)) {
        throw new WecomKitError({
          message:
            `${options.operationId ?? 'Paging'}: WeCom returned the position ${JSON.stringify(next)} a second time, so paging ` +
            'stopped instead of looping forever. Resume later from the last checkpoint or narrow the query.',
          ...(options.operationId !== undefined && { operationId: options.operationId }),
        });
      }
      yield { body, items, pageNumber, cursor: position, checkpoint: next };
      if (next === undefined) return;
      position = next;
    }
  }

  return {
    [Symbol.asyncIterator]: pages,
    async *items() {
      for await (const page of pages()) yield* page.items;
    },
  };
}

function positionParamOf(spec: PaginationSpec): string {
  switch (spec.style) {
    case 'cursor':
      return spec.cursorParam ?? 'cursor';
    case 'offset':
      return spec.offsetParam ?? 'offset';
    case 'page':
      return spec.pageParam ?? 'page_id';
  }
}

function requestFor(
  spec: PaginationSpec,
  input: Input,
  positionParam: string,
  position: PagePosition | undefined,
  itemsLeft: number,
): Input {
  const request: Input = { ...input };
  if (position === undefined) delete request[positionParam];
  else request[positionParam] = position;
  // Only an explicit page size is lowered: some APIs answer an unknown size with their default.
  const limit = spec.limitParam ? request[spec.limitParam] : undefined;
  if (spec.limitParam && typeof limit === 'number' && itemsLeft < limit) request[spec.limitParam] = itemsLeft;
  return request;
}

/** Offsets and page numbers start at 0 when the input does not say. */
function effectivePosition(
  spec: PaginationSpec,
  position: PagePosition | undefined,
): PagePosition | undefined {
  if (spec.style === 'cursor') return position === '' ? undefined : position;
  return typeof position === 'number' ? position : Number(position ?? 0);
}

/** The position of the page after this one, or undefined when this one was the last. */
function nextPosition(
  spec: PaginationSpec,
  body: Input,
  here: PagePosition | undefined,
  received: number,
): PagePosition | undefined {
  switch (spec.style) {
    case 'cursor': {
      const next = body[spec.nextCursorField ?? 'next_cursor'];
      if (typeof next === 'number') return next;
      return typeof next === 'string' && next !== '' ? next : undefined;
    }
    case 'offset': {
      const reported = body[spec.nextOffsetField ?? 'next_offset'];
      const total = body[spec.totalField ?? 'total'];
      const next = typeof reported === 'number' ? reported : Number(here) + received;
      return received === 0 || (typeof total === 'number' && next >= total) ? undefined : next;
    }
    case 'page': {
      const isLast = body[spec.isLastField ?? 'is_last'];
      return isLast === true || isLast === 1 || received === 0 ? undefined : Number(here) + 1;
    }
  }
}
