import type { TokenOperationId } from '../events';
import type { HttpSend } from '../http';
import type { IssuedToken } from './request';
import type { TokenKind } from './store';

/** What an issuer needs to send its request: the transport's way of sending, base URL and timeout. */
export interface IssueContext {
  send: HttpSend;
  baseUrl: string;
  timeoutMs: number;
}

/**
 * How one kind of token is obtained: gettoken, get_suite_token, get_corp_token or
 * get_provider_token with its credentials. The TokenProvider does the rest (caching, refresh
 * ahead, single flight, locks, invalidation, redaction) the same way for every kind.
 */
export interface TokenIssuer {
  readonly kind: TokenKind;
  readonly operationId: TokenOperationId;
  /** The store key of the tokens it issues: it names the kind and holds no secret. */
  cacheKey(): Promise<string>;
  /** One request for a new token. */
  issue(context: IssueContext): Promise<IssuedToken>;
}
