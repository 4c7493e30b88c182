import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomKitError } from './errors';
import { paginate } from './paginate';
import { observe, rejectionOf } from './testing/audit';
import { momentsOp, transportFor } from './testing/transport-fixtures';
import { FakeWecom } from './testing/wecom-server';
import { splitWindow } from './window';

type Body = Record<string, unknown>;

/** A server-side list of 10 items paged by cursor "p<offset>", 3 per page; records each request. */
function cursorSource(total = 10) {
  const requests: Body[] = [];
  const fetchPage = async (input: Body): Promise<Body> => {
    requests.push(input);
    const offset = input.cursor ? Number(String(input.cursor).slice(1)) : 0;
    const size = typeof input.limit === 'number' ? Math.min(input.limit, 3) : 3;
    const items = Array.from({ length: Math.max(0, Math.min(size, total - offset)) }, (_, i) => offset + i);
    return { errcode: 0, errmsg: 'ok', items, next_cursor: offset + size < total ? `p${offset + size}` : '' };
  };
  return { requests, fetchPage };
}

const cursorSpec = { style: 'cursor', itemsField: 'items', limitParam: 'limit' } as const;

describe('paginate', () => {
  it('cursor style: pages until next_cursor is empty, keeping the rest of the input', async () => {
    const { requests, fetchPage } = cursorSource();
    const pages = [];
    for await (const page of paginate(cursorSpec, fetchPage, { userid: 'u1' })) pages.push(page);
    expect(pages.map((page) => page.items)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(pages.map((page) => page.checkpoint)).toEqual(['p3', 'p6', 'p9', undefined]);
    expect(pages.map((page) => page.cursor)).toEqual([undefined, 'p3', 'p6', 'p9']);
    expect(requests[0]).toEqual({ userid: 'u1' });
    expect(requests[1]).toEqual({ userid: 'u1', cursor: 'p3' });
  });

  it('.items() yields the items of every page', async () => {
    const { fetchPage } = cursorSource();
    const items = [];
    for await (const item of paginate(cursorSpec, fetchPage, {}).items()) items.push(item);
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('break stops requesting at once', async () => {
    const { requests, fetchPage } = cursorSource();
    for await (const item of paginate(cursorSpec, fetchPage, {}).items()) {
      if (item === 4) break;
    }
    expect(requests).toHaveLength(2);
  });

  it('maxPages and maxItems stop early; an explicit limit is lowered for the last page', async () => {
    const { requests, fetchPage } = cursorSource();
    const pages = [];
    for await (const page of paginate(cursorSpec, fetchPage, {}, { maxPages: 2 })) pages.push(page);
    expect(pages).toHaveLength(2);
    const items = [];
    for await (const item of paginate(cursorSpec, fetchPage, { limit: 3 }, { maxItems: 4 }).items())
      items.push(item);
    expect(items).toEqual([0, 1, 2, 3]);
    expect(requests.at(-1)).toEqual({ limit: 1, cursor: 'p3' });
  });

  it('resumes from a checkpoint', async () => {
    const { fetchPage } = cursorSource();
    const items = [];
    for await (const item of paginate(cursorSpec, fetchPage, {}, { startCursor: 'p6' }).items())
      items.push(item);
    expect(items).toEqual([6, 7, 8, 9]);
  });

  it('a repeated cursor throws instead of looping forever', async () => {
    let calls = 0;
    const stuck = async (): Promise<Body> => {
      calls += 1;
      return { items: [calls], next_cursor: calls === 1 ? 'A' : 'B' };
    };
    const error = await rejectionOf(
      (async () => {
        for await (const _ of paginate(cursorSpec, stuck, {}, { operationId: 'getMomentList' })) {
          // consume
        }
      })(),
    );
    expect(error).toBeInstanceOf(WecomKitError);
    expect((error as Error).message).toMatch(/getMomentList: WeCom returned the position "B" a second time/);
    expect(calls).toBe(3);
  });

  it('offset style: next_offset until it reaches total', async () => {
    const requests: Body[] = [];
    const fetchPage = async (input: Body): Promise<Body> => {
      requests.push(input);
      const offset = Number(input.offset ?? 0);
      const items = [offset, offset + 1].filter((n) => n < 5);
      return { items, total: 5, next_offset: offset + items.length };
    };
    const items = [];
    for await (const item of paginate({ style: 'offset', itemsField: 'items' }, fetchPage, {}).items())
      items.push(item);
    expect(items).toEqual([0, 1, 2, 3, 4]);
    expect(requests.map((request) => request.offset)).toEqual([undefined, 2, 4]);
  });

  it('offset style: an offset that does not move forward throws', async () => {
    const fetchPage = async (): Promise<Body> => ({ items: [1], total: 5, next_offset: 0 });
    const error = await rejectionOf(
      (async () => {
        for await (const _ of paginate({ style: 'offset', itemsField: 'items' }, fetchPage, {})) {
          // consume
        }
      })(),
    );
    expect(error).toBeInstanceOf(WecomKitError);
  });

  it('page style: page_id until is_last', async () => {
    const requests: Body[] = [];
    const fetchPage = async (input: Body): Promise<Body> => {
      requests.push(input);
      return { items: [input.page_id], is_last: input.page_id === 2 };
    };
    const pages = [];
    for await (const page of paginate({ style: 'page', itemsField: 'items' }, fetchPage, { page_size: 1 }))
      pages.push(page);
    expect(pages.map((page) => page.items[0])).toEqual([undefined, 1, 2]);
    expect(requests.map((request) => request.page_id)).toEqual([undefined, 1, 2]);
  });
});

describe('paginate + splitWindow against a WeCom server', () => {
  const DAY = 86_400;
  const start = 1_700_000_000;
  const end = start + 65 * DAY;
  const windows = [...splitWindow(start, end, 30, 'open')];
  // Moments on and around every window boundary, and on the outer bounds (which the API excludes).
  const momentTimes = [
    ...new Set(
      windows
        .flatMap((w) => [w.start - 1, w.start, w.start + 1, w.end - 1, w.end, w.end + 1])
        .concat(start + 5 * DAY),
    ),
  ].sort((a, b) => a - b);
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await FakeWecom.start({ momentTimes });
  });
  afterAll(() => fake.close());

  it('gets every moment strictly inside (start, end) exactly once across windows and pages', async () => {
    const { transport } = transportFor(fake);
    const seen: number[] = [];
    for (const window of windows) {
      const pages = paginate(
        { style: 'cursor', itemsField: 'moment_list' },
        (input) => transport.request<Body>(momentsOp, { body: input }),
        { start_time: window.start, end_time: window.end },
        { operationId: 'getMomentList' },
      );
      for await (const moment of pages.items()) seen.push((moment as { create_time: number }).create_time);
    }
    observe(seen);
    expect(seen.sort((a, b) => a - b)).toEqual(momentTimes.filter((time) => time > start && time < end));
  });
});
