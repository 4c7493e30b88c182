import type { CallOptions } from '@wecom-kit/core';
import type { operations as operationTable } from './generated/operations';
import type { operations as OperationTypes } from './generated/schema';

type Table = typeof operationTable;

/** Every operationId of the spec. */
export type OperationId = keyof Table & keyof OperationTypes;

type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** What `call(operationId, input)` takes: the JSON body of a POST operation, the query of a GET one. */
export type OperationInput<Op extends OperationId> = Table[Op]['input'] extends 'body'
  ? OperationTypes[Op] extends { requestBody?: infer RequestBody }
    ? JsonContent<NonNullable<RequestBody>>
    : Record<string, never>
  : OperationTypes[Op]['parameters'] extends { query?: infer Query }
    ? [NonNullable<Query>] extends [never]
      ? Record<string, never>
      : NonNullable<Query>
    : Record<string, never>;

/** The success body of an operation (errcode 0). */
export type OperationOutput<Op extends OperationId> = JsonContent<OperationTypes[Op]['responses'][200]>;

/** Operations that page, and so work with `paginate`. */
export type PaginatedOperationId = {
  [Op in OperationId]: Table[Op] extends { pagination: object } ? Op : never;
}[OperationId];

type ItemsField<Op extends PaginatedOperationId> = Table[Op] extends {
  pagination: { itemsField: infer Field };
}
  ? Field & keyof OperationOutput<Op>
  : never;

/** One item of a paginated operation's list (a moment of getMomentList, a contact pair of batchGetByUser, …). */
export type OperationItem<Op extends PaginatedOperationId> =
  NonNullable<OperationOutput<Op>[ItemsField<Op>]> extends readonly (infer Item)[] ? Item : never;

/** `input` may be left out when the operation has no required field. */
export type InputArgs<Op extends OperationId, Options = CallOptions> =
  Record<string, never> extends OperationInput<Op>
    ? [input?: OperationInput<Op>, options?: Options]
    : [input: OperationInput<Op>, options?: Options];
