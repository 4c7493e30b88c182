import type { RefreshLock, StoredToken, TokenStore } from './store';

/** The default store: one process, no I/O. Its lock also coordinates transports that share it. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();
  readonly #locks = new Map<string, { owner: symbol; until: number }>();

  async get(key: string): Promise<StoredToken | undefined> {
    return this.getNow(key);
  }

  getNow(key: string): StoredToken | undefined {
    const token = this.#tokens.get(key);
    if (token && token.expiresAt <= Date.now()) {
      this.#tokens.delete(key);
      return undefined;
    }
    return token;
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.#tokens.set(key, token);
  }

  async invalidate(key: string, accessToken: string): Promise<boolean> {
    if (this.#tokens.get(key)?.accessToken !== accessToken) return false;
    this.#tokens.delete(key);
    return true;
  }

  async acquireRefreshLock(key: string, ttlMs: number): Promise<RefreshLock | undefined> {
    const now = Date.now();
    const held = this.#locks.get(key);
    if (held && held.until > now) return undefined;
    const owner = Symbol(key);
    this.#locks.set(key, { owner, until: now + ttlMs });
    return {
      release: async () => {
        if (this.#locks.get(key)?.owner === owner) this.#locks.delete(key);
      },
    };
  }
}
