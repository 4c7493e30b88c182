import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { WecomConfigError, WecomError } from '@wecom-kit/client';
import { Suspense } from 'react';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  getCorpTagListQueryOptions,
  getMomentListQueryOptions,
  useGetExternalContact,
  useGetMomentComments,
  useGetMomentList,
  useGetMomentListInfinite,
  useMarkTagMutation,
  useSuspenseGetCorpTagList,
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
  queryClient = newQueryClient();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const callsTo = (path: string) => stack.sandbox.stats.calls[`/cgi-bin/externalcontact/${path}`] ?? 0;

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
      {
        wrapper: wrapperFor(queryClient, null),
      },
    );
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.moment_list).toEqual([]);
  });

  it('report WeCom errors as WecomErrors with their errcode', async () => {
    const { result } = renderHook(() => useGetExternalContact({ external_userid: 'wmNobody' }), {
      wrapper: wrapperFor(queryClient, stack.browser),
    });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(WecomError);
    expect(result.current.error).toMatchObject({ errcode: 40096, operationId: 'getExternalContact' });
  });

  it('say how to provide a client when there is none', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const render = () =>
      renderHook(() => useGetMomentList({ start_time: 0, end_time: 1 }), {
        wrapper: wrapperFor(queryClient, null),
      });
    expect(render).toThrow(WecomConfigError);
    expect(render).toThrow(/getMomentList has no WecomClient: render it in <WecomProvider client>/);
    vi.mocked(console.error).mockRestore();
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
  it('page through a 90-day range, window by window, each moment once', async () => {
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
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(momentIdsBetween(input.start_time, input.end_time).sort());
    expect(pages.length).toBeGreaterThan(3);
    const windows = new Set(result.current.data?.pageParams.map((param) => param?.window?.start));
    expect(windows.size).toBeGreaterThanOrEqual(3);
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

describe('mutation hooks', () => {
  it('invalidate what x-wecom-invalidates names, so the view refetches and shows the change', async () => {
    const follow = stack.sandbox.state.people.follows[0];
    if (!follow) throw new Error('the sandbox seeded no follow');
    const tag = stack.sandbox.state.tags.groups
      .flatMap((group) => group.tag)
      .find((candidate) => !follow.tagIds.includes(candidate.id));
    if (!tag) throw new Error('the follow has every tag');
    const { result } = renderHook(
      () => ({
        contact: useGetExternalContact({ external_userid: follow.external_userid }),
        markTag: useMarkTagMutation(),
      }),
      { wrapper: wrapperFor(queryClient, stack.browser) },
    );
    await waitFor(() => expect(result.current.contact.isSuccess).toBe(true));
    const tagsOf = () =>
      result.current.contact.data?.follow_user
        ?.find((user) => user.userid === follow.userid)
        ?.tags?.map((shown) => shown.tag_id);
    expect(tagsOf()).not.toContain(tag.id);
    const readsBefore = callsTo('get');

    await act(() =>
      result.current.markTag.mutateAsync({
        userid: follow.userid,
        external_userid: follow.external_userid,
        add_tag: [tag.id],
      }),
    );

    expect(callsTo('get')).toBe(readsBefore + 1);
    await waitFor(() => expect(tagsOf()).toContain(tag.id));
  });
});
