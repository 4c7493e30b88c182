import { type CallOptions, WecomKitError } from '@wecom-kit/core';
import type { OperationSpec, PaginationRule, WindowRule } from './table';
import type { OperationItem, OperationOutput, PaginatedOperationId } from './types';
import { splitWindows, type TimeWindow } from './windows';

export interface PaginateOptions extends CallOptions {
  /** Stop after this many pages (requests). */
  maxPages?: number;
  /** Stop once this many items have been yielded. */
  maxItems?: number;
  /** Continue a previous traversal from a page's `checkpoint`. */
  resumeFrom?: Checkpoint;
}

/** Where to continue a traversal: the time window (for windowed operations) and the position inside it. */
export interface Checkpoint {
  readonly window?: TimeWindow;
  readonly position?: string | number;
}

export interface Page<Op extends PaginatedOperationId> {
  /** The whole success body of the request. */
  readonly body: OperationOutput<Op>;
  readonly items: OperationItem<Op>[];
  /** Resume point after this page; undefined when it was the last one. */
  readonly checkpoint: Checkpoint | undefined;
}

export interface Paginator<Op extends PaginatedOperationId> extends AsyncIterable<Page<Op>> {
  /** The items of every page, in order. */
  items(): AsyncIterable<OperationItem<Op>>;
}

interface PaginatorInit {
  operationId: string;
  spec: OperationSpec;
  input: Record<string, unknown>;
  options: PaginateOptions | undefined;
  send: (operationId: string, input: unknown, options?: CallOptions) => Promise<unknown>;
}

type Body = Record<string, unknown>;

/**
 * Walks a list operation page by page in its own pagination style, and through consecutive
 * allowed time windows when the operation limits the range, so that every item is yielded once.
 */
export function createPaginator<Op extends PaginatedOperationId>(init: PaginatorInit): Paginator<Op> {
  const { operationId, spec, input, options = {} } = init;
  const rule = spec.pagination as PaginationRule;
  const {
    maxPages = Number.POSITIVE_INFINITY,
    maxItems = Number.POSITIVE_INFINITY,
    resumeFrom,
    ...callOptions
  } = options;

  async function* pages(): AsyncGenerator<Page<Op>> {
    let requests = 0;
    let yielded = 0;
    const windows = spec.window ? windowsOf(spec.window, input, resumeFrom?.window) : [undefined];
    for (const [index, window] of windows.entries()) {
      let position = index === 0 ? resumeFrom?.position : undefined;
      const seen = new Set<string | number>();
      while (requests < maxPages && yielded < maxItems) {
        const pageInput = {
          ...input,
          ...windowFields(spec.window, window),
          ...positionFields(rule, position),
        };
        const body = (await init.send(operationId, pageInput, callOptions)) as Body;
        requests += 1;
        const allItems = (body[rule.itemsField] as OperationItem<Op>[] | undefined) ?? [];
        const items = allItems.slice(0, maxItems - yielded);
        yielded += items.length;
        const next = nextPosition(rule, body, position, allItems.length);
        if (next !== undefined && seen.has(next)) {
          throw new WecomKitError({
            operationId,
            message: `${operationId} returned the position ${JSON.stringify(next)} twice; stopping instead of looping forever.`,
          });
        }
        if (next !== undefined) seen.add(next);
        const isLast = next === undefined && index === windows.length - 1;
        const checkpoint: Checkpoint | undefined = isLast
          ? undefined
          : next === undefined
            ? { window: windows[index + 1] as TimeWindow }
            : { ...(window && { window }), position: next };
        yield { body: body as OperationOutput<Op>, items, checkpoint };
        if (next === undefined) break;
        position = next;
      }
    }
  }

  return {
    [Symbol.asyncIterator]: pages,
    async *items() {
      for await (const page of pages()) yield* page.items;
    },
  };
}

function windowsOf(
  rule: WindowRule,
  input: Record<string, unknown>,
  from: TimeWindow | undefined,
): TimeWindow[] {
  const start = input[rule.startField];
  const end = input[rule.endField];
  if (typeof start !== 'number' || typeof end !== 'number') return [undefined as unknown as TimeWindow];
  const all = splitWindows(start, end, rule);
  if (!from) return all;
  const resumeAt = all.findIndex((window) => window.start === from.start && window.end === from.end);
  return resumeAt < 0 ? all : all.slice(resumeAt);
}

function windowFields(rule: WindowRule | undefined, window: TimeWindow | undefined): Body {
  return rule && window ? { [rule.startField]: window.start, [rule.endField]: window.end } : {};
}

function positionFields(rule: PaginationRule, position: string | number | undefined): Body {
  if (position === undefined) return {};
  const param =
    rule.style === 'cursor' ? rule.cursorParam : rule.style === 'offset' ? rule.offsetParam : rule.pageParam;
  return { [param as string]: position };
}

/** The position of the next page, or undefined when this page was the last. */
function nextPosition(
  rule: PaginationRule,
  body: Body,
  current: string | number | undefined,
  itemCount: number,
): string | number | undefined {
  switch (rule.style) {
    case 'cursor': {
      const cursor = body[rule.nextCursorField as string];
      return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
    }
    case 'offset': {
      const next = Number(body[rule.nextOffsetField as string]);
      const total = Number(body[rule.totalField as string]);
      return itemCount === 0 || !Number.isFinite(next) || next >= total ? undefined : next;
    }
    case 'page':
      return itemCount === 0 || body[rule.isLastField as string] === true
        ? undefined
        : Number(current ?? 0) + 1;
  }
}
