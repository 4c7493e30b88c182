import { type QueryClient, skipToken, useQueryClient } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { WecomConfigError, WecomError } from '@wecom-kit/client';
import { Suspense } from 'react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  getCorpTagListQueryOptions,
  getMomentListQueryOptions,
  useGetExternalContact,
  useGetMomentComments,
  useGetMomentList,
  useGetMomentListInfinite,
  useSuspenseGetCorpTagList,
  useSuspenseGetMomentListInfinite,
  WECOM_STALE_TIME,
} from './index';
import { wecomKeys } from './keys';
import { newQueryClient, type Stack, startStack, wrapperFor } from './testing/stack';

const DAY = 86_400;
let stack: Stack;
let queryClient: QueryClient;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.reset();
  stack.requests.length = 0;
  stack.sent.length = 0;
  queryClient = newQueryClient();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function momentIdsBetween(start: number, end: number): string[] {
  return stack.sandbox.state.moments.moments
    .filter((moment) => moment.create_time > start && moment.create_time < end)
    .map((moment) => moment.moment_id);
}

describe('query hooks', () => {
  it('read through the proxy from the sandbox, with the client of <WecomProvider>', async () => {
    const input = { start_time: nowSeconds() - 7 * DAY, end_time: nowSeconds() };
    const { result } = renderHook(() => useGetMomentList(input), {
      wrapper: wrapperFor(queryClient, stack.browser),
    });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const expected = momentIdsBetween(input.start_time, input.end_time).slice(0, 20);
    expect(result.current.data?.moment_list.map((moment) => moment.moment_id)).toEqual(expected);
    expect(stack.requests[0]?.url).toBe(
      'http://dashboard.test/api/wecom/cgi-bin/externalcontact/get_moment_list',
    );
  });

  it('take an explicit client instead of a provider', async () => {
    const { result } = renderHook(
      () => useGetMomentList({ start_time: 0, end_time: 1 }, { client: stack.browser }),
      { wrapper: wrapperFor(queryClient, null) },
    );
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.moment_list).toEqual([]);
  });

  it('take a QueryClient last, like TanStack hooks, and need no provider then', async () => {
    const input = { start_time: 0, end_time: 1 };
    const other = newQueryClient();
    const { result } = renderHook(() => useGetMomentList(input, { client: stack.browser }, other), {
      wrapper: wrapperFor(queryClient, null),
    });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(other.getQueryData(wecomKeys.query('getMomentList', input))).toBeDefined();
    expect(queryClient.getQueryData(wecomKeys.query('getMomentList', input))).toBeUndefined();
  });

  it('render cached (hydrated) data without any client', () => {
    const input = { external_userid: 'wmHydrated' };
    const body = {
      errcode: 0,
      errmsg: 'ok',
      external_contact: { external_userid: 'wmHydrated', name: 'Ann', type: 1 },
    };
    queryClient.setQueryData(wecomKeys.query('getExternalContact', input), body as never);
    const { result } = renderHook(() => useGetExternalContact(input), {
      wrapper: wrapperFor(queryClient, null),
    });
    expect(result.current.data?.external_contact.name).toBe('Ann');
    expect(stack.requests).toHaveLength(0);
  });

  it('report WeCom errors as WecomErrors with their errcode', async () => {
    const { result } = renderHook(() => useGetExternalContact({ external_userid: 'wmNobody' }), {
      wrapper: wrapperFor(queryClient, stack.browser),
    });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(WecomError);
    expect(result.current.error).toMatchObject({ errcode: 40096, operationId: 'getExternalContact' });
  });

  it('say how to provide a client when a request has none', async () => {
    const { result } = renderHook(() => useGetMomentList({ start_time: 0, end_time: 1 }), {
      wrapper: wrapperFor(queryClient, null),
    });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(WecomConfigError);
    expect(result.current.error?.message).toMatch(
      /getMomentList has no WecomClient: render it in <WecomProvider client>/,
    );
  });

  it('skip while given skipToken, and fetch once given an input', async () => {
    const follow = stack.sandbox.state.people.follows[0];
    if (!follow) throw new Error('the sandbox seeded no follow');
    const { result, rerender } = renderHook(
      ({ id }: { id?: string }) => useGetExternalContact(id ? { external_userid: id } : skipToken),
      { wrapper: wrapperFor(queryClient, stack.browser), initialProps: {} },
    );
    expect(result.current.fetchStatus).toBe('idle');
    expect(result.current.isPending).toBe(true);
    expect(stack.requests).toHaveLength(0);
    rerender({ id: follow.external_userid });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.external_contact.external_userid).toBe(follow.external_userid);
    expect(stack.sent).toMatchObject([{ path: 'get', input: { external_userid: follow.external_userid } }]);
  });

  it('cancel the request when the last component using it unmounts', async () => {
    const moment = stack.sandbox.state.moments.moments.find((candidate) => candidate.create_type === 1);
    if (!moment?.creator) throw new Error('the sandbox seeded no personal moment');
    stack.sandbox.faults.add({
      path: '/cgi-bin/externalcontact/get_moment_comments',
      latencyMs: 2000,
      count: 1,
    });
    const { unmount } = renderHook(
      () => useGetMomentComments({ moment_id: moment.moment_id, userid: moment.creator as string }),
      { wrapper: wrapperFor(queryClient, stack.browser) },
    );
    await waitFor(() => expect(stack.requests).toHaveLength(1));
    unmount();
    await waitFor(() => expect(stack.requests[0]?.signal.aborted).toBe(true));
  });

  it('suspend until the data is there', async () => {
    const { result } = renderHook(() => useSuspenseGetCorpTagList(), {
      wrapper: ({ children }) =>
        wrapperFor(queryClient, stack.browser)({ children: <Suspense>{children}</Suspense> }),
    });
    await waitFor(() => expect(result.current).not.toBeNull());
    expect(result.current.data.tag_group.map((group) => group.group_name)).toContain('客户等级');
  });

  it('stay fresh for WECOM_STALE_TIME, so a remount reuses the cache', async () => {
    const wrapper = wrapperFor(queryClient, stack.browser);
    const first = renderHook(() => useSuspenseGetCorpTagList(), {
      wrapper: ({ children }) => wrapper({ children: <Suspense>{children}</Suspense> }),
    });
    await waitFor(() => expect(first.result.current).not.toBeNull());
    first.unmount();
    const second = renderHook(() => useSuspenseGetCorpTagList(), { wrapper });
    expect(second.result.current.isStale).toBe(false);
    expect(stack.requests).toHaveLength(1);
    expect(WECOM_STALE_TIME).toBe(60_000);
  });
});

describe('query option factories', () => {
  it('prefetch outside components into the key wecomKeys names', async () => {
    await queryClient.prefetchQuery(getCorpTagListQueryOptions(undefined, stack.browser));
    const cached = queryClient.getQueryData(wecomKeys.query('getCorpTagList', {}));
    expect(cached).toMatchObject({ errcode: 0, tag_group: expect.any(Array) });
    expect(queryClient.getQueryData(getCorpTagListQueryOptions().queryKey)).toBe(cached);
  });

  it('find the client of <WecomProvider> when given none', async () => {
    const input = { start_time: nowSeconds() - DAY, end_time: nowSeconds() };
    const { result } = renderHook(() => useQueryClient(), {
      wrapper: wrapperFor(queryClient, stack.browser),
    });
    await expect(result.current.fetchQuery(getMomentListQueryOptions(input))).resolves.toMatchObject({
      errcode: 0,
    });
  });
});

describe('infinite query hooks', () => {
  it('walk a 90-day range in the order of the client, each moment once, ending on the last page with items', async () => {
    const input = { start_time: nowSeconds() - 90 * DAY, end_time: nowSeconds(), limit: 20 };
    const { result } = renderHook(() => useGetMomentListInfinite(input), {
      wrapper: wrapperFor(queryClient, stack.browser),
    });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    while (result.current.hasNextPage) {
      await act(() => result.current.fetchNextPage());
    }
    const pages = result.current.data?.pages ?? [];
    const ids = pages.flatMap((page) => page.items.map((moment) => moment.moment_id));
    const walked: string[] = [];
    for await (const moment of stack.browser.paginate('getMomentList', input).items()) {
      walked.push(moment.moment_id);
    }
    expect(ids).toEqual(walked);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice().sort()).toEqual(momentIdsBetween(input.start_time, input.end_time).sort());
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.every((page) => page.items.length > 0)).toBe(true);
    expect(result.current.data?.pageParams).toHaveLength(pages.length);
    const windows = new Set(result.current.data?.pageParams.map((param) => param?.window?.start));
    expect(windows.size).toBeGreaterThanOrEqual(3);
  });

  it('take select, and suspend', async () => {
    const input = { start_time: nowSeconds() - 20 * DAY, end_time: nowSeconds() };
    const { result } = renderHook(
      () =>
        useSuspenseGetMomentListInfinite(input, {
          select: (walk) => walk.pages.flatMap((page) => page.items.map((moment) => moment.moment_id)),
        }),
      {
        wrapper: ({ children }) =>
          wrapperFor(queryClient, stack.browser)({ children: <Suspense>{children}</Suspense> }),
      },
    );
    await waitFor(() => expect(result.current).not.toBeNull());
    const first = momentIdsBetween(input.start_time, input.end_time);
    expect(result.current.data.length).toBeGreaterThan(0);
    expect(first).toEqual(expect.arrayContaining(result.current.data));
  });

  it('skip while given skipToken', () => {
    const { result } = renderHook(() => useGetMomentListInfinite(skipToken), {
      wrapper: wrapperFor(queryClient, stack.browser),
    });
    expect(result.current.fetchStatus).toBe('idle');
    expect(stack.requests).toHaveLength(0);
  });

  it('keep their own key, apart from the plain query of the same input', async () => {
    const input = { start_time: nowSeconds() - 10 * DAY, end_time: nowSeconds() };
    const wrapper = wrapperFor(queryClient, stack.browser);
    const plain = renderHook(() => useGetMomentList(input), { wrapper });
    const infinite = renderHook(() => useGetMomentListInfinite(input), { wrapper });
    await waitFor(() =>
      expect(plain.result.current.isSuccess && infinite.result.current.isSuccess).toBe(true),
    );
    expect(queryClient.getQueryData(wecomKeys.query('getMomentList', input))).toHaveProperty('moment_list');
    expect(queryClient.getQueryData(wecomKeys.infinite('getMomentList', input))).toHaveProperty('pages');
  });
});
