import { randomBytes } from 'node:crypto';
import { ApiError } from './api-error';

/**
 * Access tokens as WeCom issues them: gettoken returns the current token while it is valid
 * (a fresh one after expiry or revocation), and every other call must carry a live one.
 */
export class TokenRegistry {
  private current: { value: string; expiresAt: number } | undefined;
  private readonly expired = new Set<string>();
  issued = 0;

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(): { access_token: string; expires_in: number } {
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
      access_token: this.current.value,
      expires_in: Math.max(1, Math.round((this.current.expiresAt - now) / 1000)),
    };
  }

  /** Throws the errcode WeCom answers for a missing (41001), unknown or revoked (40014) or expired (42001) token. */
  check(token: string | null): void {
    if (!token) throw new ApiError(41001, 'access_token missing');
    const current = this.current;
    if (current && token === current.value) {
      if (current.expiresAt > this.now()) return;
      this.expired.add(current.value);
      this.current = undefined;
    }
    if (this.expired.has(token)) throw new ApiError(42001, 'access_token expired');
    throw new ApiError(40014, 'invalid access_token');
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
