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
  /** true only for getToken, which is how a token is obtained in the first place. */
  readonly tokenless?: boolean;
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
