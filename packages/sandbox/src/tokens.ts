import { randomBytes } from 'node:crypto';
import { ApiError } from './api-error';

/** The kinds of token: an app's own, an authorizing corp's (provider mode), a suite's, the provider's. */
export type TokenKind = 'access' | 'corp' | 'suite' | 'provider';

/** The errcodes WeCom answers for one kind of token: missing, unknown or revoked, expired. */
export interface TokenErrors {
  missing: readonly [errcode: number, errmsg: string];
  invalid: readonly [errcode: number, errmsg: string];
  expired: readonly [errcode: number, errmsg: string];
}

export const ACCESS_TOKEN_ERRORS: TokenErrors = {
  missing: [41001, 'access_token missing'],
  invalid: [40014, 'invalid access_token'],
  expired: [42001, 'access_token expired'],
};

export const SUITE_TOKEN_ERRORS: TokenErrors = {
  missing: [41022, 'suite_access_token missing'],
  invalid: [40082, 'invalid suite_access_token'],
  expired: [42009, 'suite_access_token expired'],
};

/**
 * Tokens as WeCom issues them: the fetch returns the current token while it is valid (a fresh
 * one after expiry or revocation), and every other call must carry a live one. One registry per
 * credential: an app's access token, a suite token, the provider token, one corp's token.
 */
export class TokenRegistry {
  private current: { value: string; expiresAt: number } | undefined;
  private readonly expired = new Set<string>();
  issued = 0;

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
    private readonly errors: TokenErrors = ACCESS_TOKEN_ERRORS,
  ) {}

  issue(): { token: string; expires_in: number } {
    const now = this.now();
    if (!this.current || this.current.expiresAt <= now) {
      if (this.current) this.expired.add(this.current.value);
      this.current = {
        value: randomBytes(24).toString('base64url'),
        expiresAt: now + this.ttlSeconds * 1000,
      };
      this.issued += 1;
    }
    return {
      token: this.current.value,
      expires_in: Math.max(1, Math.round((this.current.expiresAt - now) / 1000)),
    };
  }

  /** Whether this registry issued the token (live or expired): which registry must judge it. */
  knows(token: string): boolean {
    return token === this.current?.value || this.expired.has(token);
  }

  /** Throws this kind's errcode for a missing, unknown or revoked, or expired token. */
  check(token: string | null): void {
    if (!token) throw new ApiError(...this.errors.missing);
    const current = this.current;
    if (current && token === current.value) {
      if (current.expiresAt > this.now()) return;
      this.expired.add(current.value);
      this.current = undefined;
    }
    if (this.expired.has(token)) throw new ApiError(...this.errors.expired);
    throw new ApiError(...this.errors.invalid);
  }

  /** Invalidates every issued token early, as WeCom may do at any time. */
  revokeAll(): number {
    if (!this.current) return 0;
    this.current = undefined;
    return 1;
  }

  reset(): void {
    this.current = undefined;
    this.expired.clear();
    this.issued = 0;
  }
}
