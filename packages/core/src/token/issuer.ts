import type { TokenOperationId } from '../events';
import type { HttpSend } from '../http';
import type { IssuedToken } from './request';
import type { TokenKind } from './store';

/** Where each kind of token is issued: requestToken sends there, and the token spans name it. */
export const TOKEN_ENDPOINTS = {
  getToken: { method: 'GET', path: '/cgi-bin/gettoken' },
  getSuiteToken: { method: 'POST', path: '/cgi-bin/service/get_suite_token' },
  getCorpToken: { method: 'POST', path: '/cgi-bin/service/get_corp_token' },
  getProviderToken: { method: 'POST', path: '/cgi-bin/service/get_provider_token' },
} as const satisfies Record<TokenOperationId, { method: 'GET' | 'POST'; path: string }>;

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
