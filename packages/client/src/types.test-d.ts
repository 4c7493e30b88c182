import type { WecomError } from '@wecom-kit/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { components } from './generated/schema';
import { createWecomClient } from './index';
import type {
  OperationId,
  OperationInput,
  OperationItem,
  OperationOutput,
  PaginatedOperationId,
} from './types';

const wecom = createWecomClient({ corpId: 'ww1', corpSecret: 's' });

describe('call', () => {
  it('takes the JSON body of POST operations and resolves to their success body', () => {
    expectTypeOf(wecom.call<'getMomentList'>)
      .parameter(1)
      .toEqualTypeOf<OperationInput<'getMomentList'>>();
    expectTypeOf<OperationInput<'getMomentList'>>().toHaveProperty('start_time').toEqualTypeOf<number>();
    expectTypeOf(wecom.call('getMomentList', { start_time: 1, end_time: 2 })).resolves.toEqualTypeOf<
      OperationOutput<'getMomentList'>
    >();
    expectTypeOf<OperationOutput<'getMomentList'>['moment_list']>().toEqualTypeOf<
      components['schemas']['Moment'][]
    >();
  });

  it('takes the query of GET operations', () => {
    expectTypeOf<OperationInput<'getExternalContact'>>().toEqualTypeOf<{
      external_userid: string;
      cursor?: string;
    }>();
    expectTypeOf<OperationOutput<'getExternalContact'>['external_contact']>().toEqualTypeOf<
      components['schemas']['ExternalContact']
    >();
  });

  it('lets input be left out only when nothing is required', () => {
    wecom.call('getFollowUserList');
    wecom.call('getCorpTagList');
    // @ts-expect-error getMomentList needs start_time and end_time
    wecom.call('getMomentList');
    // @ts-expect-error end_time is missing
    wecom.call('getMomentList', { start_time: 1 });
  });

  it('rejects access_token as an input: the client injects it', () => {
    // @ts-expect-error access_token is not part of any operation's input
    wecom.call('getMomentList', { start_time: 1, end_time: 2, access_token: 'x' });
    // @ts-expect-error not in a GET query either
    wecom.call('getExternalContact', { external_userid: 'wm1', access_token: 'x' });
  });

  it('rejects unknown operations and wrongly typed inputs', () => {
    // @ts-expect-error no such operation
    wecom.call('getEverything', {});
    // @ts-expect-error start_time is a unix timestamp (number)
    wecom.call('getMomentList', { start_time: '2024-01-01', end_time: 2 });
    expectTypeOf<'getMomentList'>().toExtend<OperationId>();
    expectTypeOf<'getEverything'>().not.toExtend<OperationId>();
  });
});

describe('GET and POST', () => {
  it('type data from the path and the error as a WecomError', async () => {
    const result = await wecom.POST('/cgi-bin/externalcontact/get_moment_list', {
      body: { start_time: 1, end_time: 2 },
    });
    if (result.error) {
      expectTypeOf(result.error).toEqualTypeOf<WecomError>();
    } else {
      expectTypeOf(result.data.moment_list).toEqualTypeOf<components['schemas']['Moment'][]>();
    }
    const detail = await wecom.GET('/cgi-bin/externalcontact/get', {
      params: { query: { external_userid: 'wm1' } },
    });
    if (!detail.error)
      expectTypeOf(detail.data.follow_user).toEqualTypeOf<components['schemas']['FollowUser'][]>();
  });

  it('reject access_token in the query and unknown paths', () => {
    wecom.GET('/cgi-bin/externalcontact/get', {
      // @ts-expect-error access_token is injected by the client
      params: { query: { external_userid: 'wm1', access_token: 't' } },
    });
    // @ts-expect-error get_moment_list is a POST operation
    wecom.GET('/cgi-bin/externalcontact/get_moment_list');
    // @ts-expect-error no such path
    wecom.POST('/cgi-bin/externalcontact/nope', { body: {} });
  });
});

describe('paginate', () => {
  it('yields typed items for every pagination style', () => {
    expectTypeOf<OperationItem<'getMomentList'>>().toEqualTypeOf<components['schemas']['Moment']>();
    expectTypeOf<OperationItem<'batchGetByUser'>>().toHaveProperty('follow_info');
    expectTypeOf<OperationItem<'getGroupChatStatistic'>>().toHaveProperty('owner');
    expectTypeOf<OperationItem<'getUnassignedList'>>().toHaveProperty('handover_userid');
    const items = wecom.paginate('getMomentList', { start_time: 1, end_time: 2 }).items();
    expectTypeOf(items).toEqualTypeOf<AsyncIterable<components['schemas']['Moment']>>();
  });

  it('accepts only operations that page', () => {
    expectTypeOf<'getMomentList'>().toExtend<PaginatedOperationId>();
    expectTypeOf<'addMsgTemplate'>().not.toExtend<PaginatedOperationId>();
    // @ts-expect-error addMsgTemplate does not page
    wecom.paginate('addMsgTemplate', {});
  });
});

/** true for `unknown` and `any` (and for a union that one of them swallowed). */
type IsOpaque<T> = unknown extends T ? true : false;

/** Operations whose input, output or one of their top-level fields is `unknown`/`any`. */
type OpaqueOperations = {
  [Op in OperationId]: IsOpaque<OperationInput<Op>> extends true
    ? Op
    : IsOpaque<OperationOutput<Op>> extends true
      ? Op
      : true extends {
            [Field in keyof OperationOutput<Op>]-?: IsOpaque<OperationOutput<Op>[Field]>;
          }[keyof OperationOutput<Op>]
        ? Op
        : never;
}[OperationId];

describe('every operation', () => {
  it('has an input and an output that are neither unknown nor any', () => {
    expectTypeOf<OpaqueOperations>().toEqualTypeOf<never>();
    // The check itself sees through a union that `unknown` swallowed.
    expectTypeOf<IsOpaque<{ a: 1 } | unknown>>().toEqualTypeOf<true>();
  });

  it('requires one of the fields of an at-least-one group', () => {
    expectTypeOf<{ userid: 'u'; external_userid: 'wm'; add_tag: ['t'] }>().toExtend<
      OperationInput<'markTag'>
    >();
    expectTypeOf<{ userid: 'u'; external_userid: 'wm' }>().not.toExtend<OperationInput<'markTag'>>();
    expectTypeOf<{ start_time: 1; end_time: 2; partyid: [1] }>().toExtend<
      OperationInput<'getUserBehaviorData'>
    >();
    expectTypeOf<{ start_time: 1; end_time: 2 }>().not.toExtend<OperationInput<'getUserBehaviorData'>>();
    expectTypeOf<{ tag_id: ['t'] }>().toExtend<OperationInput<'deleteCorpTag'>>();
    expectTypeOf<{ group_id: ['g'] }>().toExtend<OperationInput<'deleteStrategyTag'>>();
    expectTypeOf<Record<string, never>>().not.toExtend<OperationInput<'deleteStrategyTag'>>();
    expectTypeOf<{ userid: 'u'; external_userid: 'wm'; remark: 'r' }>().toExtend<
      OperationInput<'updateExternalContactRemark'>
    >();
    expectTypeOf<{ userid: 'u'; external_userid: 'wm' }>().not.toExtend<
      OperationInput<'updateExternalContactRemark'>
    >();
    // @ts-expect-error a number is not markTag's input
    wecom.call('markTag', 42);
  });
});
