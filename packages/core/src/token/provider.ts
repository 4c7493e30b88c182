import { raceSignal, sleep } from '../abort';
import { type Clock, systemClock } from '../clock';
import { WecomConfigError, WecomKitError, WecomTimeoutError } from '../errors';
import type { EventSink } from '../events';
import { globalFetchSend, type HttpSend } from '../http';
import { registerSensitiveValue } from '../redact';
import type { TokenFetchTracer } from '../telemetry/types';
import { DEFAULT_TIMEOUT_MS } from '../transport-settings';
import type { TokenIssuer } from './issuer';
import { MemoryTokenStore } from './memory-store';
import type { StoredToken, TokenKind, TokenSource, TokenStore } from './store';

export interface TokenProviderOptions {
  /** How a token of this kind is obtained (gettoken, get_suite_token, get_corp_token, get_provider_token). */
  issuer: TokenIssuer;
  baseUrl: string;
  /** How the issuer's request is sent. Default: globalThis.fetch. */
  send?: HttpSend;
  store?: TokenStore;
  /** Timeout of one request for a token. Default 10 s. */
  timeoutMs?: number;
  /** How long before expiry a token is refreshed in the background. Default 5 min (at most a fifth of its lifetime). */
  refreshAheadMs?: number;
  /** How long a configuration error WeCom answered is answered from memory instead of asking again. Default 10 s. */
  configErrorTtlMs?: number;
  /** How often a caller that waits for another process's refresh looks for the new token. Default 50 ms. */
  lockPollMs?: number;
  onEvent?: EventSink;
  /** Wraps each request for a token, e.g. in an OpenTelemetry span. */
  traceTokenFetch?: TokenFetchTracer;
  random?: () => number;
  clock?: Clock;
}

type RefreshReason = 'cold' | 'expiring' | 'invalidated';

const DEFAULT_REFRESH_AHEAD_MS = 5 * 60_000;
const DEFAULT_CONFIG_ERROR_TTL_MS = 10_000;
const DEFAULT_LOCK_POLL_MS = 50;
/** WeCom's expiry is counted from when it issued the token; stop using it a little early. */
const MAX_EXPIRY_MARGIN_MS = 30_000;
const LOCK_MARGIN_MS = 5_000;
const BACKGROUND_RETRY_MS = 5_000;

/**
 * Hands out the tokens of one issuer (an app's access token, a suite token, a third-party corp
 * token, a provider token): cached in a TokenStore under the issuer's key, refreshed ahead of
 * expiry with jitter, fetched by one caller at a time (single-flight in the process, a lock across
 * processes), and invalidated compare-and-swap when WeCom refuses one.
 */
export class TokenProvider implements TokenSource {
  readonly #options: TokenProviderOptions;
  readonly #store: TokenStore;
  readonly #send: HttpSend;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #issuer: TokenIssuer;
  readonly #key: Promise<string>;
  /** #key once computed, for the synchronous peekToken. */
  #resolvedKey: string | undefined;
  // A provider serves one issuer, so one store key: its state is a few fields, not maps.
  /** The refresh that callers without a valid token wait for (single-flight). */
  #flight: Promise<string> | undefined;
  #refreshingInBackground = false;
  #backgroundRetryAt = 0;
  /** WeCom refused the last token; the next refresh reports reason 'invalidated'. */
  #invalidated = false;
  #configFailure: { error: WecomConfigError; until: number } | undefined;

  constructor(options: TokenProviderOptions) {
    this.#options = options;
    this.#issuer = options.issuer;
    this.#store = options.store ?? new MemoryTokenStore();
    this.#send = options.send ?? globalFetchSend;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#clock = options.clock ?? systemClock;
    this.#key = options.issuer.cacheKey().then((key) => {
      this.#resolvedKey = key;
      return key;
    });
  }

  get kind(): TokenKind {
    return this.#issuer.kind;
  }

  /** The store key of this provider's tokens; it holds no secret. */
  cacheKey(): Promise<string> {
    return this.#key;
  }

  /** A token that is valid now. Waiting ends when `signal` aborts; a refresh it started goes on for other callers. */
  async getToken(options: { signal?: AbortSignal } = {}): Promise<string> {
    const key = await this.#key;
    const stored = await this.#store.get(key);
    const now = this.#clock.now();
    if (stored && now < stored.expiresAt) {
      rememberToken(stored);
      if (now >= stored.refreshAt) this.#refreshInBackground(key, stored);
      return stored.accessToken;
    }
    this.#throwRecentConfigFailure();
    const reason: RefreshReason = stored ? 'expiring' : this.#invalidated ? 'invalidated' : 'cold';
    return raceSignal(this.#singleFlight(key, reason), options.signal);
  }

  /**
   * The valid token the store holds, when the store can answer without I/O (the in-memory one);
   * undefined means "call getToken". Starts the refresh ahead of expiry like getToken does.
   */
  peekToken(): string | undefined {
    const key = this.#resolvedKey;
    const stored = key === undefined ? undefined : this.#store.getNow?.(key);
    if (key === undefined || !stored) return undefined;
    if (this.#clock.now() >= stored.refreshAt) this.#refreshInBackground(key, stored);
    return stored.accessToken;
  }

  /** WeCom refused `accessToken`: drop it unless it was already replaced, so the next getToken fetches once. */
  async invalidate(accessToken: string): Promise<void> {
    const key = await this.#key;
    this.#invalidated = true;
    await this.#store.invalidate(key, accessToken);
  }

  #throwRecentConfigFailure(): void {
    const failure = this.#configFailure;
    if (failure && failure.until > this.#clock.now()) throw failure.error;
  }

  #singleFlight(key: string, reason: RefreshReason): Promise<string> {
    if (this.#flight) return this.#flight;
    const flight = this.#refreshUnderLock(key, reason).finally(() => {
      this.#flight = undefined;
    });
    // Every caller that waits sees the failure; but when all of them have given up (aborted), nobody
    // is left to handle it, and it must not surface as an unhandled rejection.
    flight.catch(() => {});
    this.#flight = flight;
    return flight;
  }

  #refreshInBackground(key: string, current: StoredToken): void {
    if (this.#refreshingInBackground || this.#flight) return;
    if (this.#backgroundRetryAt > this.#clock.now()) return;
    this.#refreshingInBackground = true;
    this.#refreshAhead(key, current)
      .catch(() => {
        // The current token stays valid until expiresAt, so the failure (reported as a token-refresh
        // event) only delays the next try: WeCom blocks IPs whose gettoken calls keep failing.
        this.#backgroundRetryAt = this.#clock.now() + BACKGROUND_RETRY_MS;
      })
      .finally(() => {
        this.#refreshingInBackground = false;
      });
  }

  /** Refreshes a still-valid token, unless another caller or process is already doing it. */
  async #refreshAhead(key: string, current: StoredToken): Promise<void> {
    const lock = await this.#acquireLock(key);
    if (!lock) return;
    try {
      const latest = await this.#store.get(key);
      if (latest && latest.accessToken !== current.accessToken) return;
      await this.#store.set(key, await this.#fetchToken('expiring'));
    } finally {
      await lock.release();
    }
  }

  async #refreshUnderLock(key: string, reason: RefreshReason): Promise<string> {
    const lockTtlMs = this.#timeoutMs + LOCK_MARGIN_MS;
    const giveUpAt = this.#clock.now() + 2 * lockTtlMs;
    for (;;) {
      const lock = await this.#acquireLock(key);
      if (lock) {
        try {
          // Another caller may have stored a fresh token between our read and the lock.
          const latest = await this.#store.get(key);
          if (latest && this.#clock.now() < latest.expiresAt) return this.#use(latest);
          this.#throwRecentConfigFailure();
          const token = await this.#fetchToken(reason);
          await this.#store.set(key, token);
          this.#invalidated = false;
          return token.accessToken;
        } finally {
          await lock.release();
        }
      }
      await sleep(this.#options.lockPollMs ?? DEFAULT_LOCK_POLL_MS, undefined, this.#clock);
      const latest = await this.#store.get(key);
      if (latest && this.#clock.now() < latest.expiresAt) return this.#use(latest);
      if (this.#clock.now() > giveUpAt) {
        throw new WecomTimeoutError({
          operationId: this.#issuer.operationId,
          timeoutMs: 2 * lockTtlMs,
          scope: 'attempt',
          waitingFor: 'token',
        });
      }
    }
  }

  #use(token: StoredToken): string {
    rememberToken(token);
    return token.accessToken;
  }

  async #acquireLock(key: string) {
    if (!this.#store.acquireRefreshLock) return { release: async () => {} };
    return this.#store.acquireRefreshLock(key, this.#timeoutMs + LOCK_MARGIN_MS);
  }

  async #fetchToken(reason: RefreshReason): Promise<StoredToken> {
    const { baseUrl, onEvent, traceTokenFetch } = this.#options;
    const { operationId } = this.#issuer;
    const started = this.#clock.now();
    const report = (outcome: 'ok' | 'error', errcode?: unknown) =>
      onEvent?.({
        type: 'token-refresh',
        operationId,
        attempt: 1,
        durationMs: this.#clock.now() - started,
        reason,
        outcome,
        ...(typeof errcode === 'number' && { errcode }),
      });
    try {
      const request = () => this.#issuer.issue({ send: this.#send, baseUrl, timeoutMs: this.#timeoutMs });
      const issued = await (traceTokenFetch ? traceTokenFetch(operationId, reason, request) : request());
      const token = this.#schedule(issued.accessToken, issued.expiresInSeconds * 1000, started);
      rememberToken(token);
      report('ok');
      return token;
    } catch (error) {
      report('error', (error as { errcode?: unknown }).errcode);
      // Only what WeCom answered is remembered: a problem found locally (a suite without a ticket
      // yet) costs no request, and is fixed the moment the ticket arrives.
      if (error instanceof WecomConfigError && error.errcode !== undefined) {
        this.#configFailure = {
          error,
          until: this.#clock.now() + (this.#options.configErrorTtlMs ?? DEFAULT_CONFIG_ERROR_TTL_MS),
        };
      }
      throw error instanceof WecomKitError
        ? error
        : new WecomKitError({ message: `${operationId} failed.`, operationId, cause: error });
    }
  }

  /** Lifetime is counted from when the request left, so clock drift and latency only make it shorter. */
  #schedule(accessToken: string, lifetimeMs: number, issuedAt: number): StoredToken {
    const expiresAt = issuedAt + lifetimeMs - Math.min(MAX_EXPIRY_MARGIN_MS, lifetimeMs / 10);
    const aheadMs = Math.min(this.#options.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS, lifetimeMs / 5);
    // Jitter spreads the refreshes of many processes that fetched at the same moment.
    const jitterMs = (this.#options.random ?? Math.random)() * (aheadMs / 2);
    return { accessToken, expiresAt, refreshAt: issuedAt + lifetimeMs - aheadMs - jitterMs };
  }
}

/** Redacts the token until WeCom stops accepting it (the stored expiry is earlier by a margin). */
function rememberToken(token: StoredToken): void {
  registerSensitiveValue(token.accessToken, { expiresAt: token.expiresAt + MAX_EXPIRY_MARGIN_MS });
}
