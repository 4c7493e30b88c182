import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WecomConfigError } from '../errors';
import type { WecomEvent } from '../events';
import { observe, rejectionOf } from '../testing/audit';
import { FakeWecom, GETTOKEN_PATH } from '../testing/wecom-server';
import { gettokenIssuer } from './gettoken';
import { MemoryTokenStore } from './memory-store';
import { TokenProvider, type TokenProviderOptions } from './provider';

let fake: FakeWecom;
let shortLived: FakeWecom;
beforeAll(async () => {
  fake = await FakeWecom.start();
  shortLived = await FakeWecom.start({ tokenTtlSeconds: 2 });
});
afterAll(async () => {
  await fake.close();
  await shortLived.close();
});
beforeEach(() => fake.clearFaults());

function providerFor(
  server: FakeWecom,
  {
    corpSecret = server.corpSecret,
    ...options
  }: Partial<TokenProviderOptions> & { corpSecret?: string } = {},
) {
  const events: WecomEvent[] = [];
  const provider = new TokenProvider({
    issuer: gettokenIssuer({ corpId: server.corpId, secret: corpSecret }),
    baseUrl: server.baseUrl,
    onEvent: (event) => {
      events.push(event);
      observe(event);
    },
    ...options,
  });
  return { provider, events };
}

/** Fakes Date only (sockets and timers stay real), so a test moves the clock instead of sleeping. */
function fakeDate(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
}

// Moves 1.7 s at once into a 2-second token's refresh window, from 1.6 s to 1.8 s: a sleep could
// oversleep it on a loaded machine.
function enterRefreshWindow(): void {
  fakeDate();
  vi.setSystemTime(Date.now() + 1_700);
}
afterEach(() => {
  vi.useRealTimers();
});

describe('TokenProvider', () => {
  it('caches the token', async () => {
    const { provider } = providerFor(fake);
    const before = fake.gettokenCalls;
    const first = await provider.getToken();
    expect(await provider.getToken()).toBe(first);
    expect(fake.gettokenCalls - before).toBe(1);
  });

  it('refreshes ahead of expiry in the background while callers keep the valid token', async () => {
    // expires_in 2 s: refresh from 1.6 s (no jitter), stop using it at 1.8 s.
    const { provider, events } = providerFor(shortLived, { random: () => 0 });
    const first = await provider.getToken();
    enterRefreshWindow();
    expect(await provider.getToken()).toBe(first);
    await waitFor(() => events.filter((event) => event.type === 'token-refresh').length === 2);
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(events.map((event) => event.type === 'token-refresh' && event.reason)).toEqual([
      'cold',
      'expiring',
    ]);
  });

  it('providers sharing a store (like processes sharing Redis) make one gettoken between them', async () => {
    const store = new MemoryTokenStore();
    const providers = Array.from({ length: 5 }, () => providerFor(fake, { store }).provider);
    const before = fake.gettokenCalls;
    fake.fault(GETTOKEN_PATH, { type: 'latency', ms: 100 });
    const tokens = await Promise.all(
      providers.flatMap((provider) => [provider.getToken(), provider.getToken()]),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(fake.gettokenCalls - before).toBe(1);
  });

  it("peekToken hands out the in-memory store's valid token without waiting, and nothing else", async () => {
    const { provider } = providerFor(fake);
    expect(provider.peekToken()).toBeUndefined();
    const token = await provider.getToken();
    expect(provider.peekToken()).toBe(token);
    await provider.invalidate(token);
    expect(provider.peekToken()).toBeUndefined();
    // A store that needs I/O (Redis) is never read synchronously: every call asks it.
    const memory = new MemoryTokenStore();
    const shared = {
      get: (key: string) => memory.get(key),
      set: memory.set.bind(memory),
      invalidate: memory.invalidate.bind(memory),
    };
    const { provider: sharing } = providerFor(fake, { store: shared });
    await sharing.getToken();
    expect(sharing.peekToken()).toBeUndefined();
  });

  it('invalidate is compare-and-swap: a stale token never evicts the newer one', async () => {
    const store = new MemoryTokenStore();
    const { provider } = providerFor(fake, { store });
    const stale = await provider.getToken();
    await provider.invalidate(stale);
    const fresh = await provider.getToken();
    expect(fresh).not.toBe(stale);
    const before = fake.gettokenCalls;
    await provider.invalidate(stale);
    expect(await provider.getToken()).toBe(fresh);
    expect(fake.gettokenCalls).toBe(before);
  });

  it('answers configuration errors from memory for configErrorTtlMs, then asks again', async () => {
    const { provider } = providerFor(fake, { corpSecret: 'wrong-secret-value', configErrorTtlMs: 100 });
    const before = fake.gettokenCalls;
    fakeDate();
    const first = await rejectionOf(provider.getToken());
    expect(first).toBeInstanceOf(WecomConfigError);
    vi.setSystemTime(Date.now() + 99);
    await expect(provider.getToken()).rejects.toBe(first);
    expect(fake.gettokenCalls - before).toBe(1);
    vi.setSystemTime(Date.now() + 51);
    await expect(provider.getToken()).rejects.toBeInstanceOf(WecomConfigError);
    expect(fake.gettokenCalls - before).toBe(2);
  });

  it("one caller's abort does not cancel the refresh other callers wait for", async () => {
    const { provider } = providerFor(fake);
    fake.fault(GETTOKEN_PATH, { type: 'latency', ms: 100 });
    const controller = new AbortController();
    const aborted = rejectionOf(provider.getToken({ signal: controller.signal }));
    const patient = provider.getToken();
    controller.abort(new Error('caller gave up'));
    expect(((await aborted) as Error).message).toBe('caller gave up');
    await expect(patient).resolves.toMatch(/^tok_/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('TokenProvider background refresh failures', () => {
  it('keep the valid token in use and are not retried back to back', async () => {
    const { provider, events } = providerFor(shortLived, { random: () => 0 });
    const first = await provider.getToken();
    enterRefreshWindow();
    shortLived.fault(GETTOKEN_PATH, { type: 'errcode', errcode: 40001 });
    expect(await provider.getToken()).toBe(first);
    await waitFor(() => events.filter((event) => event.type === 'token-refresh').length === 2);
    // The background refresh failed with a configuration error; calls keep the still-valid token.
    expect(await provider.getToken()).toBe(first);
    expect(await provider.getToken()).toBe(first);
    expect(events.filter((event) => event.type === 'token-refresh')).toEqual([
      expect.objectContaining({ reason: 'cold', outcome: 'ok' }),
      expect.objectContaining({ reason: 'expiring', outcome: 'error', errcode: 40001 }),
    ]);
  });
});
