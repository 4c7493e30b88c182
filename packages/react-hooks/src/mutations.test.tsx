import type { QueryClient } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  getExternalContactQueryOptions,
  useBatchGetByUserInfinite,
  useGetExternalContact,
  useMarkTagMutation,
  wecomKeys,
} from './index';
import { newQueryClient, type Stack, startStack, wrapperFor } from './testing/stack';

let stack: Stack;
let queryClient: QueryClient;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.reset();
  stack.sent.length = 0;
  queryClient = newQueryClient();
});

/** A customer A of member X with a tag to add, another customer B, and a member Y who does not follow A. */
function scene() {
  const { follows } = stack.sandbox.state.people;
  const customersOf = (userid: string) => follows.filter((follow) => follow.userid === userid);
  const a = follows.find((follow) => customersOf(follow.userid).length >= 3);
  if (!a) throw new Error('the sandbox seeded no member with three customers');
  const b = follows.find((follow) => follow.external_userid !== a.external_userid);
  const y = follows.find(
    (follow) =>
      follow.userid !== a.userid &&
      !customersOf(follow.userid).some((other) => other.external_userid === a.external_userid),
  );
  const tag = stack.sandbox.state.tags.groups
    .flatMap((group) => group.tag)
    .find((candidate) => !a.tagIds.includes(candidate.id));
  if (!b || !y || !tag) throw new Error('the sandbox seeded too little for this scene');
  return { a, b, otherMember: y.userid, tagId: tag.id };
}

const requestsTo = (path: string, match: (input: Record<string, unknown>) => boolean = () => true) =>
  stack.sent.filter((sent) => sent.path === path && match(sent.input));

describe('mutation hooks', () => {
  it('refresh only the queries the write touches, the first page of lists, without holding the mutation', async () => {
    const { a, b, otherMember, tagId } = scene();
    // Inactive: another query of A that nothing shows.
    await queryClient.prefetchQuery(
      getExternalContactQueryOptions({ external_userid: a.external_userid, cursor: '' }, stack.browser),
    );
    const { result } = renderHook(
      () => ({
        contactA: useGetExternalContact({ external_userid: a.external_userid }),
        contactB: useGetExternalContact({ external_userid: b.external_userid }),
        listOfA: useBatchGetByUserInfinite({ userid_list: [a.userid], limit: 1 }),
        listOfOther: useBatchGetByUserInfinite({ userid_list: [otherMember], limit: 1 }),
        markTag: useMarkTagMutation(),
      }),
      { wrapper: wrapperFor(queryClient, stack.browser) },
    );
    await waitFor(() =>
      expect(result.current.listOfA.isSuccess && result.current.listOfOther.isSuccess).toBe(true),
    );
    await waitFor(() =>
      expect(result.current.contactA.isSuccess && result.current.contactB.isSuccess).toBe(true),
    );
    const holdsA = () =>
      result.current.listOfA.data?.pages.some((page) =>
        page.items.some((item) => item.external_contact.external_userid === a.external_userid),
      );
    while (!holdsA() || (result.current.listOfA.data?.pages.length ?? 0) < 2) {
      await act(() => result.current.listOfA.fetchNextPage());
    }
    const tagsOfA = () =>
      result.current.contactA.data?.follow_user
        ?.find((user) => user.userid === a.userid)
        ?.tags?.map((shown) => shown.tag_id);
    expect(tagsOfA()).not.toContain(tagId);
    stack.sent.length = 0;
    stack.sandbox.faults.add({ path: '/cgi-bin/externalcontact/get', latencyMs: 1500, count: 1 });

    await act(() =>
      result.current.markTag.mutateAsync({
        userid: a.userid,
        external_userid: a.external_userid,
        add_tag: [tagId],
      }),
    );
    // The mutation settled while A's refetch is still under way.
    const keyOfA = wecomKeys.query('getExternalContact', { external_userid: a.external_userid });
    expect(queryClient.getQueryState(keyOfA)?.fetchStatus).toBe('fetching');
    await waitFor(() => expect(tagsOfA()).toContain(tagId), { timeout: 10_000 });
    await waitFor(() => expect(result.current.listOfA.isFetching).toBe(false));

    const isA = (input: Record<string, unknown>) => input.external_userid === a.external_userid;
    expect(requestsTo('get', isA)).toHaveLength(1);
    expect(requestsTo('get', (input) => input.external_userid === b.external_userid)).toHaveLength(0);
    expect(requestsTo('batch/get_by_user')).toEqual([
      expect.objectContaining({ input: { userid_list: [a.userid], limit: 1 } }),
    ]);
    expect(result.current.listOfA.data?.pages).toHaveLength(1);
    const inactive = queryClient.getQueryState(
      wecomKeys.query('getExternalContact', { external_userid: a.external_userid, cursor: '' }),
    );
    expect(inactive?.isInvalidated).toBe(true);
    expect(
      queryClient.getQueryState(wecomKeys.query('getExternalContact', { external_userid: b.external_userid }))
        ?.isInvalidated,
    ).toBe(false);
  });

  it('refresh nothing with invalidate: false, and only the keys given with a list', async () => {
    const { a, b, tagId } = scene();
    const { result } = renderHook(
      () => ({
        contactA: useGetExternalContact({ external_userid: a.external_userid }),
        contactB: useGetExternalContact({ external_userid: b.external_userid }),
        quiet: useMarkTagMutation({ invalidate: false }),
        onlyB: useMarkTagMutation({
          invalidate: [wecomKeys.query('getExternalContact', { external_userid: b.external_userid })],
        }),
      }),
      { wrapper: wrapperFor(queryClient, stack.browser) },
    );
    await waitFor(() =>
      expect(result.current.contactA.isSuccess && result.current.contactB.isSuccess).toBe(true),
    );
    stack.sent.length = 0;
    const write = { userid: a.userid, external_userid: a.external_userid, add_tag: [tagId] };

    await act(() => result.current.quiet.mutateAsync(write));
    expect(requestsTo('get')).toHaveLength(0);

    await act(() => result.current.onlyB.mutateAsync({ ...write, add_tag: undefined, remove_tag: [tagId] }));
    await waitFor(() => expect(result.current.contactB.isFetching).toBe(false));
    expect(requestsTo('get').map((sent) => sent.input.external_userid)).toEqual([b.external_userid]);
  });
});
