import type {
  OperationId,
  OperationInput,
  OperationItem,
  OperationOutput,
  operations,
  PaginatedOperationId,
} from '@wecom-kit/client';
import type { SandboxEvent } from '../callbacks';
import type { Listing } from '../listing';
import type { ServiceOperationId } from '../provider/operations';
import type { SandboxState } from '../state';
import { toSeconds } from '../time';

/**
 * Every operation but gettoken, which the server answers itself, and the service-provider ones,
 * which provider/handlers.ts serves: each has a handler.
 */
export type HandledOperationId = Exclude<OperationId, 'getToken' | ServiceOperationId>;

/**
 * What a handler reads: the operation's generated input type, already checked against its
 * constraints by the server (an `anyOf` of required groups arrives as a union of its groups).
 */
export type HandlerInput<Op extends OperationId> = OperationInput<Op>;

/** The success fields of an operation; the server adds `errcode` and `errmsg`. */
export type HandlerResult<Op extends OperationId> = Omit<OperationOutput<Op>, 'errcode' | 'errmsg'>;

type Pagination<Op extends OperationId> = (typeof operations)[Op] extends { pagination: infer Rule }
  ? Rule
  : never;
type FieldNames<Rule> = {
  [Key in keyof Rule]: Key extends
    | 'itemsField'
    | 'nextCursorField'
    | 'nextOffsetField'
    | 'totalField'
    | 'isLastField'
    ? Rule[Key]
    : never;
}[keyof Rule];

/** The fields `page()` fills: the list and where it stands (next_cursor, next_offset + total, or is_last). */
export type PageResult<Op extends OperationId> = Pick<
  HandlerResult<Op>,
  FieldNames<Pagination<Op>> & keyof HandlerResult<Op>
>;

export interface HandlerContext<Op extends OperationId = HandledOperationId> {
  input: HandlerInput<Op>;
  state: SandboxState;
  /** Current time, ms. */
  now: number;
  /** Queues a callback event, delivered only if the call succeeds. */
  emit(event: SandboxEvent): void;
  /**
   * One page of `all` in the operation's pagination style. `scope` binds cursors to one listing.
   * Long listings should be lazy (see listing.ts), so that only the page's rows are built.
   */
  page(
    all: Listing<Op extends PaginatedOperationId ? OperationItem<Op> : never>,
    scope?: string,
  ): PageResult<Op>;
}

/**
 * Serves one operation: returns its success fields, or throws an ApiError. Typed by the spec, so
 * an answer that drifts from it does not compile.
 */
export type Handler<Op extends HandledOperationId> = (context: HandlerContext<Op>) => HandlerResult<Op>;

/** What helpers shared by several operations see: the context without `page`, the input of any of them. */
export type SharedContext<Op extends HandledOperationId> = Omit<HandlerContext, 'input' | 'page'> & {
  input: HandlerInput<Op>;
};

/** Handlers by operationId, each typed for its own operation. */
export type HandlerTable = { readonly [Op in HandledOperationId]?: Handler<Op> };

export function seconds(context: { now: number }): number {
  return toSeconds(context.now);
}
