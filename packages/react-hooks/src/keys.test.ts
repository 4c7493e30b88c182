import { partialMatchKey, QueryClient } from '@tanstack/react-query';
import type { OperationInput, OperationOutput } from '@wecom-kit/client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { markTagMutationOptions } from './generated/options';
import { isWecomMutation, wecomKeys } from './keys';
import type { WecomInfiniteData } from './types';

describe('wecomKeys', () => {
  const input = { start_time: 1, end_time: 2 };

  it('nests every key under the operation prefix and the global prefix', () => {
    for (const key of [wecomKeys.query('getMomentList', input), wecomKeys.infinite('getMomentList', input)]) {
      expect(partialMatchKey(key, wecomKeys.operation('getMomentList'))).toBe(true);
      expect(partialMatchKey(key, wecomKeys.all)).toBe(true);
    }
  });

  it('keeps infinite and plain queries of the same input apart', () => {
    const plain = wecomKeys.query('getMomentList', input);
    const infinite = wecomKeys.infinite('getMomentList', input);
    expect(partialMatchKey(plain, infinite)).toBe(false);
    expect(partialMatchKey(infinite, plain)).toBe(false);
  });

  it('does not let one operation prefix match another', () => {
    const key = wecomKeys.query('getMomentTask', { moment_id: 'mom1' });
    expect(partialMatchKey(key, wecomKeys.operation('getMomentList'))).toBe(false);
  });

  it('carry the data they hold, so the cache is typed through them', () => {
    const queryClient = new QueryClient();
    const key = wecomKeys.query('getExternalContact', { external_userid: 'wm1' });
    expectTypeOf(queryClient.getQueryData(key)).toEqualTypeOf<
      OperationOutput<'getExternalContact'> | undefined
    >();
    expectTypeOf(queryClient.getQueryData(wecomKeys.infinite('getMomentList', input))).toEqualTypeOf<
      WecomInfiniteData<'getMomentList'> | undefined
    >();
    // @ts-expect-error the cache of getExternalContact holds its success body, not a number
    queryClient.setQueryData(key, 42);
    // @ts-expect-error a typo is not an operation
    wecomKeys.operation('getExternalContacts');
    // @ts-expect-error the input is the operation's
    wecomKeys.query('getExternalContact', { external_user_id: 'wm1' });
    // @ts-expect-error writes have no query keys
    wecomKeys.query('markTag', { userid: 'u', external_userid: 'wm1', add_tag: ['t'] });
    // @ts-expect-error operations that do not page have no infinite keys
    wecomKeys.infinite('getCorpTagList', {});
  });
});

describe('isWecomMutation', () => {
  it('picks the writes of one operation out of the MutationCache, with typed variables', () => {
    const queryClient = new QueryClient();
    const mutation = queryClient.getMutationCache().build(queryClient, markTagMutationOptions());
    const other = queryClient.getMutationCache().build(queryClient, { mutationKey: ['wecom', 'addCorpTag'] });
    expect(isWecomMutation(mutation, 'markTag')).toBe(true);
    expect(isWecomMutation(other, 'markTag')).toBe(false);
    expect(isWecomMutation(mutation, 'updateExternalContactRemark')).toBe(false);
    const [found] = queryClient
      .getMutationCache()
      .findAll({ predicate: (m) => isWecomMutation(m, 'markTag') });
    if (found && isWecomMutation(found, 'markTag')) {
      expectTypeOf(found.state.variables).toEqualTypeOf<OperationInput<'markTag'> | undefined>();
    }
    expect(found).toBe(mutation);
  });
});
