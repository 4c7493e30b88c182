import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import {
  type OperationInput,
  type OperationItem,
  type OperationOutput,
  type Page,
  type WecomClient,
  WecomError,
  type WecomKitError,
} from '@wecom-kit/client';
import { describe, expectTypeOf, it } from 'vitest';
import * as hooks from './index';
import {
  getMomentListInfiniteOptions,
  getMomentListQueryOptions,
  useGetCorpTagList,
  useGetExternalContact,
  useGetMomentList,
  useGetMomentListInfinite,
  useMarkTagMutation,
  useSuspenseGetCorpTagList,
  type WecomPageParam,
} from './index';

declare const queryClient: QueryClient;
declare const client: WecomClient;
const input = { start_time: 1, end_time: 2 };
type Moments = OperationOutput<'getMomentList'>;

describe('keys', () => {
  it('are tagged with the data and error they hold', () => {
    const { queryKey } = getMomentListQueryOptions(input);
    expectTypeOf(queryKey).toExtend<
      readonly ['wecom', 'getMomentList', 'query', OperationInput<'getMomentList'>]
    >();
    expectTypeOf(queryClient.getQueryData(queryKey)).toEqualTypeOf<Moments | undefined>();
    expectTypeOf(queryClient.getQueryState(queryKey)?.error).toEqualTypeOf<
      WecomKitError | null | undefined
    >();
  });

  it('of infinite queries hold pages and sit on their own branch', () => {
    const { queryKey } = getMomentListInfiniteOptions(input, client);
    expectTypeOf(queryKey).toExtend<
      readonly ['wecom', 'getMomentList', 'infinite', OperationInput<'getMomentList'>]
    >();
    expectTypeOf(queryClient.getQueryData(queryKey)).toEqualTypeOf<
      InfiniteData<Page<'getMomentList'>, WecomPageParam> | undefined
    >();
  });
});

describe('data', () => {
  it('is the success body, or what select makes of it', () => {
    expectTypeOf(useGetMomentList(input).data).toEqualTypeOf<Moments | undefined>();
    const counted = useGetMomentList(input, { select: (moments) => moments.moment_list.length });
    expectTypeOf(counted.data).toEqualTypeOf<number | undefined>();
    expectTypeOf(useSuspenseGetCorpTagList().data).toEqualTypeOf<OperationOutput<'getCorpTagList'>>();
  });

  it('of infinite queries is pages of items and their checkpoints', () => {
    const { data } = useGetMomentListInfinite(input);
    expectTypeOf(data?.pages[0]?.items).toEqualTypeOf<OperationItem<'getMomentList'>[] | undefined>();
    expectTypeOf(data?.pageParams).toEqualTypeOf<WecomPageParam[] | undefined>();
  });

  it('of mutations goes in as the operation input', () => {
    const { mutate, data } = useMarkTagMutation();
    expectTypeOf(mutate).parameter(0).toEqualTypeOf<OperationInput<'markTag'>>();
    expectTypeOf(data).toEqualTypeOf<OperationOutput<'markTag'> | undefined>();
  });
});

describe('errors', () => {
  it('are WecomKitErrors, narrowed to WecomError for an errcode', () => {
    const { error } = useGetExternalContact({ external_userid: 'wm1' });
    expectTypeOf(error).toEqualTypeOf<WecomKitError | null>();
    if (error instanceof WecomError) expectTypeOf(error.errcode).toEqualTypeOf<number>();
    expectTypeOf(useMarkTagMutation().error).toEqualTypeOf<WecomKitError | null>();
  });
});

describe('inputs', () => {
  it('are checked against the spec', () => {
    // @ts-expect-error end_time is required
    useGetMomentList({ start_time: 1 });
    // @ts-expect-error the token is never a parameter: the proxy adds it
    useGetExternalContact({ external_userid: 'wm1', access_token: 'token' });
    // @ts-expect-error the input of getMomentList is not optional
    useGetMomentList();
    useGetCorpTagList();
    useGetCorpTagList({ tag_id: ['et1'] }, { enabled: false, client });
  });

  it('decide which hooks an operation has', () => {
    // @ts-expect-error getToken is never exposed to a browser
    hooks.useGetToken;
    // @ts-expect-error writes have no query hooks
    hooks.markTagQueryOptions;
    // @ts-expect-error reads have no mutation hooks
    hooks.useGetMomentListMutation;
    // @ts-expect-error operations that do not page have no infinite hooks
    hooks.useGetCorpTagListInfinite;
  });
});
