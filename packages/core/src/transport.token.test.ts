import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomConfigError, WecomError } from './errors';
import { rejectionOf } from './testing/audit';
import { eventsOfType, readInput, readOp, transportFor } from './testing/transport-fixtures';
import { FakeWecom, GETTOKEN_PATH, READ_PATH } from './testing/wecom-server';
import type { TokenStore } from './token/store';

let fake: FakeWecom;
beforeAll(async () => {
  fake = await FakeWecom.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.clearFaults());

const CONCURRENT_CALLS = 50;

describe('access tokens', () => {
  it(`${CONCURRENT_CALLS} concurrent cold calls make exactly 1 gettoken`, async () => {
    const { transport, events } = transportFor(fake);
    const before = fake.gettokenCalls;
    fake.fault(GETTOKEN_PATH, { type: 'latency', ms: 50 });
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CALLS }, () => transport.request(readOp, readInput)),
    );
    expect(results).toHaveLength(CONCURRENT_CALLS);
    expect(fake.gettokenCalls - before).toBe(1);
    expect(eventsOfType(events, 'token-refresh')).toEqual([
      expect.objectContaining({ type: 'token-refresh', reason: 'cold', outcome: 'ok', attempt: 1 }),
    ]);
  });

  it('a token WeCom revoked early is refreshed once for all concurrent callers', async () => {
    const { transport, events } = transportFor(fake);
    await transport.request(readOp, readInput);
    fake.revokeTokens();
    const before = fake.gettokenCalls;
    const readsBefore = fake.requests(READ_PATH);
    await Promise.all(Array.from({ length: CONCURRENT_CALLS }, () => transport.request(readOp, readInput)));
    expect(fake.gettokenCalls - before).toBe(1);
    expect(fake.requests(READ_PATH) - readsBefore).toBe(2 * CONCURRENT_CALLS);
    expect(eventsOfType(events, 'token-refresh').map((event) => event.reason)).toEqual([
      'cold',
      'invalidated',
    ]);
  });

  it.each([40014, 42001, 40001])(
    'errcode %i from a business call → invalidate, refresh and retry exactly once',
    async (errcode) => {
      const { transport } = transportFor(fake);
      await transport.request(readOp, readInput);
      const before = fake.gettokenCalls;
      fake.fault(READ_PATH, { type: 'errcode', errcode });
      await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
      expect(fake.gettokenCalls - before).toBe(1);
    },
  );

  it('a token refused again after the refresh fails the call instead of looping', async () => {
    const { transport } = transportFor(fake);
    await transport.request(readOp, readInput);
    const gettokensBefore = fake.gettokenCalls;
    const readsBefore = fake.requests(READ_PATH);
    fake.fault(
      READ_PATH,
      { type: 'errcode', errcode: 40014 },
      { type: 'errcode', errcode: 40014 },
      { type: 'errcode', errcode: 40014 },
    );
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: 40014, category: 'token' });
    expect((error as Error).message).toMatch(/refused even after fetching a fresh one/);
    expect(fake.requests(READ_PATH) - readsBefore).toBe(2);
    expect(fake.gettokenCalls - gettokensBefore).toBe(1);
  });

  it('a transient gettoken failure (-1) is retried like any other', async () => {
    const { transport } = transportFor(fake);
    fake.fault(GETTOKEN_PATH, { type: 'errcode', errcode: -1 });
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
  });

  it('keys the store by corp, app and a hash of the secret, never the secret', async () => {
    const keys: string[] = [];
    const store: TokenStore = new (class {
      readonly tokens = new Map<string, Awaited<ReturnType<TokenStore['get']>>>();
      async get(key: string) {
        keys.push(key);
        return this.tokens.get(key);
      }
      async set(key: string, token: NonNullable<Awaited<ReturnType<TokenStore['get']>>>) {
        this.tokens.set(key, token);
      }
      async invalidate() {
        return false;
      }
    })();
    const { transport } = transportFor(fake, { tokenStore: store, agentId: 1000002 });
    await transport.request(readOp, readInput);
    expect(keys[0]).toMatch(new RegExp(`^wecom:token:${fake.corpId}:1000002:[0-9a-f]{16}$`));
    expect(keys.join()).not.toContain(fake.corpSecret);
  });
});

describe('configuration errors from gettoken', () => {
  it('a wrong secret fails fast with what to fix, once for a storm of callers, and is not retried', async () => {
    const { transport, events } = transportFor(fake, { corpSecret: 'not-the-right-secret-value' });
    const before = fake.gettokenCalls;
    const errors = await Promise.all(
      Array.from({ length: 30 }, () => rejectionOf(transport.request(readOp, readInput))),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(WecomConfigError);
      expect(error).toMatchObject({ errcode: 40001, operationId: 'getToken' });
      expect((error as Error).message).toMatch(/corpSecret was refused.*Copy the app's current Secret/);
    }
    // Later callers within the negative-cache window get the same answer without asking WeCom.
    await expect(transport.request(readOp, readInput)).rejects.toBe(errors[0]);
    expect(fake.gettokenCalls - before).toBe(1);
    expect(eventsOfType(events, 'retry')).toEqual([]);
    expect(eventsOfType(events, 'token-refresh')).toEqual([
      expect.objectContaining({ outcome: 'error', errcode: 40001, reason: 'cold' }),
    ]);
  });

  it.each([
    [40013, /corpId was refused/],
    [60020, /trusted IPs/],
    [48002, /可调用接口的应用/],
    [45009, /blocked for this IP/],
  ])('gettoken errcode %i → WecomConfigError saying what to fix', async (errcode, fix) => {
    const { transport } = transportFor(fake);
    fake.fault(GETTOKEN_PATH, { type: 'errcode', errcode });
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomConfigError);
    expect((error as Error).message).toMatch(fix);
  });
});
