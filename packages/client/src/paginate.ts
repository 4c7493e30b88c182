import type { CallOptions } from '@wecom-kit/core';
import { type PagePosition, paginate, splitWindow, type TimeWindow } from '@wecom-kit/core/internal';
import type { OperationSpec, PaginationRule, WindowRule } from './table';
import type { OperationItem, OperationOutput, PaginatedOperationId } from './types';

export interface PaginateOptions extends CallOptions {
  /** Stop after this many pages (requests). */
  maxPages?: number;
  /** Stop once this many items have been yielded. */
  maxItems?: number;
  /** Continue a previous traversal from a page's `checkpoint` (taken with the same `order`). */
  resumeFrom?: Checkpoint;
  /**
   * For operations whose range is split into windows: walk the windows from the newest (the
   * default, like a feed) or from the oldest. Within a window, items come in WeCom's order.
   */
  order?: WindowOrder;
}

export type WindowOrder = 'newest-first' | 'oldest-first';

/** Where to continue a traversal: the time window (for windowed operations) and the position inside it. */
export interface Checkpoint {
  readonly window?: TimeWindow;
  readonly position?: PagePosition;
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
  /** Checks one request's input, as `send` does; throws what it finds. */
  validate?: (operationId: string, input: unknown) => void;
}

/**
 * Pages through a list operation with core's paginator, and, when the operation limits its time
 * range, through consecutive allowed windows (core's `splitWindow`), so every item comes once.
 */
export function createPaginator<Op extends PaginatedOperationId>(init: PaginatorInit): Paginator<Op> {
  const { operationId, spec, input, options = {} } = init;
  const rule = spec.pagination as PaginationRule;
  const {
    maxPages = Number.POSITIVE_INFINITY,
    maxItems = Number.POSITIVE_INFINITY,
    resumeFrom,
    order = 'newest-first',
    ...callOptions
  } = options;
  const fetchPage = (pageInput: Record<string, unknown>) =>
    init.send(operationId, pageInput, callOptions) as Promise<Record<string, unknown>>;

  async function* pages(): AsyncGenerator<Page<Op>> {
    const windows = windowsOf(spec.window, input, order, resumeFrom?.window);
    // Walking newest first would reach a start beyond the look-back only at the end: check the
    // oldest window now, so a range that cannot be served fails before anything is fetched.
    const oldest = windows.reduce((first, window) =>
      window && first && window.start < first.start ? window : first,
    );
    if (oldest && spec.window) init.validate?.(operationId, withWindow(input, spec.window, oldest));
    let pagesLeft = maxPages;
    let itemsLeft = maxItems;
    for (const [index, window] of windows.entries()) {
      const windowInput = window && spec.window ? withWindow(input, spec.window, window) : input;
      const stream = paginate(rule, fetchPage, windowInput, {
        operationId,
        maxPages: pagesLeft,
        maxItems: itemsLeft,
        ...(index === 0 && resumeFrom?.position !== undefined && { startCursor: resumeFrom.position }),
      });
      for await (const page of stream) {
        pagesLeft -= 1;
        itemsLeft -= page.items.length;
        const nextWindow = windows[index + 1];
        const checkpoint: Checkpoint | undefined =
          page.checkpoint !== undefined
            ? { ...(window && { window }), position: page.checkpoint }
            : nextWindow && { window: nextWindow };
        yield {
          body: page.body as OperationOutput<Op>,
          items: page.items as OperationItem<Op>[],
          checkpoint,
        };
      }
      if (pagesLeft <= 0 || itemsLeft <= 0) return;
    }
  }

  return {
    [Symbol.asyncIterator]: pages,
    async *items() {
      for await (const page of pages()) yield* page.items;
    },
  };
}

/** The windows to walk, in order: one undefined entry for operations without a time window. */
function windowsOf(
  rule: WindowRule | undefined,
  input: Record<string, unknown>,
  order: WindowOrder,
  resumeWindow: TimeWindow | undefined,
): (TimeWindow | undefined)[] {
  const start = rule && input[rule.startField];
  const end = rule && input[rule.endField];
  if (!rule || typeof start !== 'number' || typeof end !== 'number') return [undefined];
  // Newest first splits the mirrored range, so that the full windows sit at the recent end and
  // the short remainder, if any, is the oldest one (walked last) rather than a near-empty first page.
  const windows =
    order === 'oldest-first'
      ? [...splitWindow(start, end, rule.maxDays, rule.interval, rule.unit)]
      : [...splitWindow(-end, -start, rule.maxDays, rule.interval, rule.unit)].map((mirrored) => ({
          start: -mirrored.end,
          end: -mirrored.start,
        }));
  const resumeAt = resumeWindow
    ? windows.findIndex((window) => window.start === resumeWindow.start && window.end === resumeWindow.end)
    : 0;
  return windows.slice(Math.max(0, resumeAt));
}

function withWindow(
  input: Record<string, unknown>,
  rule: WindowRule,
  window: TimeWindow,
): Record<string, unknown> {
  return { ...input, [rule.startField]: window.start, [rule.endField]: window.end };
}
