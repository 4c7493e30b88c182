import type { OperationToken } from '@wecom-kit/core';
import type { PaginationSpec } from '@wecom-kit/core/internal';

/**
 * The shape of the generated operation table (`generated/operations.ts`), which carries what
 * the spec's `x-wecom-*` extensions say about each operation.
 */
export interface OperationSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Where the caller's input goes: the query string (GET) or the JSON body (POST). */
  readonly input: 'query' | 'body';
  readonly idempotent: boolean;
  readonly pagination?: PaginationRule;
  readonly window?: WindowRule;
  readonly rateLimitPerMinute?: number;
  readonly invalidates?: readonly string[];
  readonly deprecated?: true;
  /** The token it is sent with, when not a corp's access_token; 'none' for the token endpoints. */
  readonly token?: Exclude<OperationToken, 'access'>;
}

export type OperationTable = Readonly<Record<string, OperationSpec>>;

/** operationId → what its input must satisfy (`generated/constraints.ts`). */
export type ConstraintTable = Readonly<Record<string, FieldRule>>;

/** Core's pagination fields plus what WeCom does with page sizes (used by the sandbox and docs). */
export interface PaginationRule extends PaginationSpec {
  readonly maxLimit?: number;
  readonly defaultLimit?: number;
  readonly overMax?: 'clamp' | 'default';
}

export interface WindowRule {
  readonly startField: string;
  readonly endField: string;
  readonly maxDays: number;
  /** How many days back the start may lie (WeCom keeps statistics for 180 days); absent when unlimited. */
  readonly maxAgeDays?: number;
  /** `open`: instants equal to either bound are excluded; `closed`: both bounds are included. */
  readonly interval: 'open' | 'closed';
  /** `day`: WeCom truncates both bounds to midnight and counts whole days. */
  readonly unit: 'second' | 'day';
  /** What WeCom answers for a refused range, when not the generic 40058. */
  readonly errcode?: number;
}

/** The checks the client runs on an input before sending it; see `validate.ts`. */
export interface FieldRule {
  readonly type?: string | readonly string[];
  readonly required?: readonly string[];
  /** At least one field of one of these groups must be present. */
  readonly anyOf?: readonly (readonly string[])[];
  readonly fields?: Readonly<Record<string, FieldRule>>;
  readonly items?: FieldRule;
  readonly enum?: readonly (string | number)[];
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly maximum?: number;
  readonly minimum?: number;
  readonly maxItems?: number;
  readonly minItems?: number;
  /** WeCom's dedicated errcode when a check fails, by rule (`x-wecom-errcode`); 40058 otherwise. */
  readonly errcodes?: Readonly<Record<string, number>>;
}

/**
 * A success body's schema as the drift check reads it (`generated/response-shapes.ts`): types,
 * required fields, properties, items, enums and alternatives; components by name.
 */
export interface ResponseShape {
  readonly type?: string | readonly string[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, ResponseShape>>;
  /** The schema of every value of a map-like object; its keys are data, never reported. */
  readonly values?: ResponseShape;
  readonly items?: ResponseShape;
  readonly enum?: readonly unknown[];
  /** The value matches at least one (oneOf / anyOf). */
  readonly oneOf?: readonly ResponseShape[];
  /** A component of `ResponseShapeTable.components`, by name. */
  readonly ref?: string;
}

/** A shape and the spec file that describes it (the file a contract review edits). */
export interface DescribedShape {
  readonly file: string;
  readonly shape: ResponseShape;
}

export interface ResponseShapeTable {
  /** operationId → its success body. */
  readonly operations: Readonly<Record<string, DescribedShape>>;
  readonly components: Readonly<Record<string, DescribedShape>>;
}
