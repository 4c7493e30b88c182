import { type Clock, systemClock } from '../clock';
import type { RefreshLock, StoredToken, TokenStore } from './store';

/** How often expired tokens are swept out, so that corps that stopped calling do not stay in memory. */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * The default store: one process, no I/O. Its lock also coordinates transports that share it.
 * Expired tokens leave at the next read, or at a sweep every ten minutes when tokens are added.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();
  readonly #locks = new Map<string, { owner: symbol; until: number }>();
  readonly #clock: Clock;
  #sweptAt: number;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
    this.#sweptAt = clock.now();
  }

  /** How many tokens are held. */
  get size(): number {
    return this.#tokens.size;
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return this.getNow(key);
  }

  getNow(key: string): StoredToken | undefined {
    const token = this.#tokens.get(key);
    if (token && token.expiresAt <= this.#clock.now()) {
      this.#tokens.delete(key);
      return undefined;
    }
    return token;
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.#tokens.set(key, token);
    const now = this.#clock.now();
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    for (const [stored, held] of this.#tokens) if (held.expiresAt <= now) this.#tokens.delete(stored);
    for (const [locked, lock] of this.#locks) if (lock.until <= now) this.#locks.delete(locked);
  }

  async invalidate(key: string, accessToken: string): Promise<boolean> {
    if (this.#tokens.get(key)?.accessToken !== accessToken) return false;
    this.#tokens.delete(key);
    return true;
  }

  async acquireRefreshLock(key: string, ttlMs: number): Promise<RefreshLock | undefined> {
    const now = this.#clock.now();
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
