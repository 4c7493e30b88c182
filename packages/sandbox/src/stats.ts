import type { TokenKind } from './tokens';

/** What the sandbox has seen, for tests and for users watching their own traffic. */
export class SandboxStats {
  calls: Record<string, number> = {};
  applied: Record<string, number> = {};
  errcodes: Record<string, number> = {};
  tokensIssued = 0;
  /** API calls by the kind of token they carried (`none` for the token fetches of the provider mode). */
  tokenKinds: Record<string, number> = {};
  /** Event deliveries to the callback URL: given up after three attempts counts as failed. */
  callbacks = { delivered: 0, failed: 0, retried: 0 };

  countCall(path: string): void {
    this.calls[path] = (this.calls[path] ?? 0) + 1;
  }

  /** A write that took effect (counted even when the answer is then lost to a fault). */
  countApplied(path: string): void {
    this.applied[path] = (this.applied[path] ?? 0) + 1;
  }

  countTokenKind(kind: TokenKind | 'none'): void {
    this.tokenKinds[kind] = (this.tokenKinds[kind] ?? 0) + 1;
  }

  countErrcode(errcode: number): void {
    this.errcodes[errcode] = (this.errcodes[errcode] ?? 0) + 1;
  }

  reset(): void {
    this.calls = {};
    this.applied = {};
    this.errcodes = {};
    this.tokensIssued = 0;
    this.tokenKinds = {};
    this.callbacks = { delivered: 0, failed: 0, retried: 0 };
  }

  toJSON() {
    return {
      calls: this.calls,
      applied: this.applied,
      errcodes: this.errcodes,
      tokensIssued: this.tokensIssued,
      tokenKinds: this.tokenKinds,
      callbacks: this.callbacks,
    };
  }
}
