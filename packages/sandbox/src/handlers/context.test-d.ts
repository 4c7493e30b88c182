import { describe, expectTypeOf, it } from 'vitest';
import type { Handler, HandlerInput, HandlerResult, HandlerTable, PageResult } from './context';

describe('Handler<Op>', () => {
  it('reads the operation input from the generated types', () => {
    expectTypeOf<HandlerInput<'getTransferResultLegacy'>>().toEqualTypeOf<{
      external_userid: string;
      handover_userid: string;
      takeover_userid: string;
    }>();
    expectTypeOf<HandlerInput<'getExternalContact'>['external_userid']>().toEqualTypeOf<string>();
  });

  it('reads an anyOf of required groups as a union: batchGetByUser needs userid_list or the legacy userid', () => {
    const current: HandlerInput<'batchGetByUser'> = { userid_list: ['zhangsan'] };
    const legacy: HandlerInput<'batchGetByUser'> = { userid: 'zhangsan' };
    // @ts-expect-error neither group's required field is there
    const neither: HandlerInput<'batchGetByUser'> = { limit: 10 };
    expectTypeOf(current).toExtend<HandlerInput<'batchGetByUser'>>();
    expectTypeOf(legacy).toExtend<HandlerInput<'batchGetByUser'>>();
    expectTypeOf(neither).toBeObject();
  });

  it('must answer the success fields of its own operation, without errcode/errmsg', () => {
    expectTypeOf<HandlerResult<'getTransferResultLegacy'>>().toEqualTypeOf<{
      status: number;
      takeover_time: number;
    }>();
    const answers: Handler<'getTransferResultLegacy'> = () => ({ status: 5, takeover_time: 0 });
    // @ts-expect-error a field the spec types as an integer drifted to a string
    const drifted: Handler<'getTransferResultLegacy'> = () => ({ status: '5', takeover_time: 0 });
    // @ts-expect-error a required field is missing
    const incomplete: Handler<'getTransferResultLegacy'> = () => ({ status: 5 });
    expectTypeOf(answers).toBeFunction();
    expectTypeOf(drifted).toBeFunction();
    expectTypeOf(incomplete).toBeFunction();
  });

  it('page() fills exactly the list and position fields of the operation', () => {
    expectTypeOf<keyof PageResult<'getTransferResult'>>().toEqualTypeOf<'customer' | 'next_cursor'>();
    expectTypeOf<keyof PageResult<'getGroupChatStatistic'>>().toEqualTypeOf<
      'items' | 'next_offset' | 'total'
    >();
  });

  it('a table entry must be the handler of the operation it is filed under', () => {
    const table = {
      // @ts-expect-error the answer of getTransferResultLegacy is not what listExternalContacts returns
      listExternalContacts: (() => ({ status: 5, takeover_time: 0 })) as Handler<'getTransferResultLegacy'>,
    } satisfies HandlerTable;
    expectTypeOf(table).toBeObject();
  });
});
