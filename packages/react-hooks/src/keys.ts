import type { DataTag, MutationKey, MutationState } from '@tanstack/react-query';
import type { OperationId, OperationInput, OperationOutput } from '@wecom-kit/client';
import type {
  PagedReadOperationId,
  ReadOperationId,
  WecomInfiniteData,
  WecomInfiniteQueryKey,
  WecomOperationKey,
  WecomQueryError,
  WecomQueryKey,
  WriteOperationId,
} from './types';

/**
 * Query keys for every WeCom operation, shaped as a hierarchy so that one prefix invalidates a
 * whole level: everything, one operation, or one operation with one input. Infinite queries
 * get their own branch because their cached data (pages) differs from a plain query's. The keys
 * of one input carry the type of the data they hold, so `getQueryData` and `setQueryData` are typed.
 */
export const wecomKeys = {
  all: ['wecom'] as const,
  operation: <Op extends OperationId>(operationId: Op): WecomOperationKey<Op> => ['wecom', operationId],
  query: <Op extends ReadOperationId>(operationId: Op, input: OperationInput<Op>) =>
    ['wecom', operationId, 'query', input] as unknown as DataTag<
      WecomQueryKey<Op>,
      OperationOutput<Op>,
      WecomQueryError
    >,
  infinite: <Op extends PagedReadOperationId>(operationId: Op, input: OperationInput<Op>) =>
    ['wecom', operationId, 'infinite', input] as unknown as DataTag<
      WecomInfiniteQueryKey<Op>,
      WecomInfiniteData<Op>,
      WecomQueryError
    >,
};

/**
 * Whether a mutation of the MutationCache (`isMutating`, `useMutationState`, a predicate) is a
 * write of `operationId` through these hooks; it then types the mutation's variables and data.
 */
export function isWecomMutation<
  Op extends WriteOperationId,
  M extends { options: { mutationKey?: MutationKey } },
>(
  mutation: M,
  operationId: Op,
): mutation is M & { state: MutationState<OperationOutput<Op>, WecomQueryError, OperationInput<Op>> } {
  const key = mutation.options.mutationKey;
  return key?.[0] === 'wecom' && key[1] === operationId;
}
