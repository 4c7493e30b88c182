import type { TokenKind } from './token/store';

/** The token an operation needs; 'none' for the endpoints that issue tokens. */
export type OperationToken = TokenKind | 'none';

/** What the runtime needs to know about one operation; the client builds it from the generated table. */
export interface OperationMeta {
  readonly operationId: string;
  readonly method: 'GET' | 'POST';
  /** e.g. '/cgi-bin/externalcontact/get_moment_list' */
  readonly path: string;
  /** `x-wecom-idempotent`: false marks a write, which is never repeated when its outcome is unknown. */
  readonly idempotent: boolean;
  /** `x-wecom-rate-limit.perMinute`; the default budget applies otherwise. */
  readonly rateLimitPerMinute?: number;
  /**
   * Which token the operation is sent with (its spec security scheme): absent for a corp's
   * access_token, 'suite' or 'provider' for the service-provider operations, 'none' for the
   * endpoints that issue tokens.
   */
  readonly token?: OperationToken;
}

export interface RequestInput {
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per attempt; overrides the transport's `timeoutMs`. */
  timeoutMs?: number;
}
