import {
  type InfiniteData,
  QueryClient,
  skipToken,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useSuspenseInfiniteQuery,
  useSuspenseQuery,
} from '@tanstack/react-query';
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
  getExternalContactQueryOptions,
  getMomentListInfiniteOptions,
  getMomentListQueryOptions,
  markTagMutationOptions,
  useGetCorpTagList,
  useGetExternalContact,
  useGetMomentList,
  useGetMomentListInfinite,
  useMarkTagMutation,
  useSuspenseGetCorpTagList,
  useSuspenseGetMomentListInfinite,
  type WecomPageParam,
  wecomKeys,
} from './index';

declare const queryClient: QueryClient;
declare const client: WecomClient;
declare const maybeId: string | undefined;
const input = { start_time: 1, end_time: 2 };
type Moments = OperationOutput<'getMomentList'>;

type IsOpaque<T> = unknown extends T ? true : false;
type Exports = typeof hooks;
/** Every export whose input, output or data is unknown/any. */
type OpaqueExports = {
  [Name in keyof Exports]: Exports[Name] extends (...args: infer Args) => infer Result
    ? Name extends `use${string}Mutation`
      ? Result extends { mutate: (input: infer Input) => void; data: infer Data }
        ? true extends IsOpaque<Input> | IsOpaque<NonNullable<Data>>
          ? Name
          : never
        : Name
      : Name extends `use${string}` | `${string}Options`
        ? Name extends `${string}MutationOptions`
          ? IsOpaque<Parameters<ReturnType<Exports[Name]>['mutationFn']>[0]> extends true
            ? Name
            : never
          : true extends IsOpaque<Args[0]> | IsOpaque<NonNullable<Extract<Result, { data: unknown }>['data']>>
            ? Name
            : never
        : never
    : never;
}[keyof Exports];

describe('every generated export', () => {
  it('has a typed input and typed data', () => {
    expectTypeOf<OpaqueExports>().toEqualTypeOf<never>();
    expectTypeOf<keyof Exports>().toExtend<string>();
  });
});

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

  it('of infinite queries is pages of items and their checkpoints, or what select makes of them', () => {
    const { data } = useGetMomentListInfinite(input);
    expectTypeOf(data?.pages[0]?.items).toEqualTypeOf<OperationItem<'getMomentList'>[] | undefined>();
    expectTypeOf(data?.pageParams).toEqualTypeOf<WecomPageParam[] | undefined>();
    const flat = useGetMomentListInfinite(input, {
      select: (walk) => walk.pages.flatMap((page) => page.items),
    });
    expectTypeOf(flat.data).toEqualTypeOf<OperationItem<'getMomentList'>[] | undefined>();
    const suspended = useSuspenseGetMomentListInfinite(input, { select: (walk) => walk.pages.length });
    expectTypeOf(suspended.data).toEqualTypeOf<number>();
  });

  it('of mutations goes in as the operation input', () => {
    const { mutate, data } = useMarkTagMutation({
      onSuccess: (_output, sent) => expectTypeOf(sent).toEqualTypeOf<OperationInput<'markTag'>>(),
    });
    expectTypeOf(mutate).parameter(0).toEqualTypeOf<OperationInput<'markTag'>>();
    expectTypeOf(data).toEqualTypeOf<OperationOutput<'markTag'> | undefined>();
    // @ts-expect-error a number is not markTag's input
    mutate(42);
    // @ts-expect-error markTag needs add_tag or remove_tag
    mutate({ userid: 'u', external_userid: 'wm1' });
    mutate({ userid: 'u', external_userid: 'wm1', remove_tag: ['t'] });
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

  it('may be skipToken, for hooks and factories that can be disabled', () => {
    const skipped = useGetExternalContact(maybeId ? { external_userid: maybeId } : skipToken);
    expectTypeOf(skipped.data).toEqualTypeOf<OperationOutput<'getExternalContact'> | undefined>();
    useGetMomentListInfinite(maybeId ? input : skipToken);
    useQuery(getExternalContactQueryOptions(maybeId ? { external_userid: maybeId } : skipToken));
    useInfiniteQuery(getMomentListInfiniteOptions(maybeId ? input : skipToken));
    // @ts-expect-error suspense hooks cannot skip
    useSuspenseGetCorpTagList(skipToken);
    // @ts-expect-error a skippable factory is not for useSuspenseQuery
    useSuspenseQuery(getExternalContactQueryOptions(maybeId ? { external_userid: maybeId } : skipToken));
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

describe('the TanStack surface', () => {
  it('options factories fit TanStack hooks, suspense ones included', () => {
    expectTypeOf(useSuspenseQuery(getMomentListQueryOptions(input)).data).toEqualTypeOf<Moments>();
    const walk = useSuspenseInfiniteQuery(getMomentListInfiniteOptions(input)).data;
    expectTypeOf(walk.pages[0]?.items).toEqualTypeOf<OperationItem<'getMomentList'>[] | undefined>();
    const selected = useInfiniteQuery({
      ...getMomentListInfiniteOptions(input),
      select: (data) => data.pages.length,
    });
    expectTypeOf(selected.data).toEqualTypeOf<number | undefined>();
    const marked = useMutation(markTagMutationOptions({ invalidate: false }));
    expectTypeOf(marked.mutate).parameter(0).toEqualTypeOf<OperationInput<'markTag'>>();
  });

  it('hooks take a QueryClient last, like TanStack hooks', () => {
    const other = new QueryClient();
    useGetMomentList(input, {}, other);
    useGetMomentListInfinite(input, undefined, other);
    useMarkTagMutation({}, other);
    // @ts-expect-error the third argument is a QueryClient
    useGetMomentList(input, {}, client);
  });

  it('mutations take invalidate: false or keys to refresh', () => {
    useMarkTagMutation({ invalidate: false });
    useMarkTagMutation({ invalidate: [wecomKeys.query('getExternalContact', { external_userid: 'wm1' })] });
    // @ts-expect-error invalidate is false or a list of keys
    useMarkTagMutation({ invalidate: true });
  });
});
