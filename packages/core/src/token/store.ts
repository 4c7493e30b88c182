import type { EventSink } from '../events';

/** A cached access token. Times are epoch milliseconds. */
export interface StoredToken {
  readonly accessToken: string;
  /** Past this instant the token is not used any more (already a little before WeCom's expiry). */
  readonly expiresAt: number;
  /** From this instant one caller refreshes it in the background while the others keep using it. */
  readonly refreshAt: number;
}

/** Held by whoever fetches a new token, so that other callers (or processes) wait for it instead. */
export interface RefreshLock {
  release(): Promise<void>;
}

/** Where tokens are cached; shared between processes when backed by Redis. Keys never contain a secret. */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  /** The same answer as `get` without waiting, for stores that need no I/O (the in-memory one). */
  getNow?(key: string): StoredToken | undefined;
  set(key: string, token: StoredToken): Promise<void>;
  /** Removes the token only if it is still `accessToken`, so a newer token is never thrown away. */
  invalidate(key: string, accessToken: string): Promise<boolean>;
  /** Takes the refresh lock for `key`, or answers undefined while someone else holds it. */
  acquireRefreshLock?(key: string, ttlMs: number): Promise<RefreshLock | undefined>;
  /** Lets the transport forward the store's own events (such as redis-fallback); returns an unsubscribe. */
  subscribe?(listener: EventSink): () => void;
}

/**
 * The kinds of token WeCom issues, each sent under its own query parameter: a corp's
 * `access_token` (gettoken, or get_corp_token for a third-party app), a third-party suite's
 * `suite_access_token` and a service provider's `provider_access_token`.
 */
export type TokenKind = 'access' | 'suite' | 'provider';

/** Hands out tokens of one kind and drops one WeCom refused; TokenProvider is the implementation. */
export interface TokenSource {
  /** Default 'access'. */
  readonly kind?: TokenKind;
  getToken(options?: { signal?: AbortSignal }): Promise<string>;
  /** A valid token already at hand, or undefined; lets a call skip getToken's wait and timer. */
  peekToken?(): string | undefined;
  invalidate(accessToken: string): Promise<void>;
}
