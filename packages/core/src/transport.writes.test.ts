import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomError, WecomHttpError, WecomOutcomeUnknownError } from './errors';
import { rejectionOf } from './testing/audit';
import { eventsOfType, transportFor, writeInput, writeOp } from './testing/transport-fixtures';
import { FakeWecom, type Fault, GETTOKEN_PATH, WRITE_PATH } from './testing/wecom-server';
import { MemoryTokenStore } from './token/memory-store';

let fake: FakeWecom;
beforeAll(async () => {
  fake = await FakeWecom.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.clearFaults());

/** Runs `send` and reports how many write requests reached the fake and how many were applied. */
async function counting<T>(
  send: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; requests: number; applied: number }> {
  const requestsBefore = fake.requests(WRITE_PATH);
  const appliedBefore = fake.applied.length;
  const [result] = await Promise.allSettled([send()]);
  return {
    result: result as PromiseSettledResult<T>,
    requests: fake.requests(WRITE_PATH) - requestsBefore,
    applied: fake.applied.length - appliedBefore,
  };
}

describe('a write whose outcome is unknown is never repeated', () => {
  it('connection reset after WeCom applied it → WecomOutcomeUnknownError, applied exactly once', async () => {
    const { transport, events } = transportFor(fake);
    fake.fault(WRITE_PATH, { type: 'drop-after-apply' });
    const pending = counting(() => rejectionOf(transport.request(writeOp, writeInput)));
    const { result, requests, applied } = await pending;
    const error = (result as PromiseFulfilledResult<unknown>).value;
    expect(error).toBeInstanceOf(WecomOutcomeUnknownError);
    expect(error).toMatchObject({ operationId: 'addMsgTemplate' });
    expect((error as Error).message).toMatch(
      /may or may not have applied it.*check its effect before sending it again/s,
    );
    expect(requests).toBe(1);
    expect(applied).toBe(1);
    expect(eventsOfType(events, 'retry')).toEqual([]);
  });

  it('a timeout after sending → WecomOutcomeUnknownError; the late write lands once', async () => {
    // The timeout leaves a loaded machine ample time to deliver the request before it fires.
    const { transport } = transportFor(fake, { timeoutMs: 1_000 });
    fake.fault(WRITE_PATH, { type: 'latency', ms: 2_000 });
    const { result, requests } = await counting(() => rejectionOf(transport.request(writeOp, writeInput)));
    expect((result as PromiseFulfilledResult<unknown>).value).toBeInstanceOf(WecomOutcomeUnknownError);
    expect(requests).toBe(1);
    const appliedBefore = fake.applied.length;
    await expect.poll(() => fake.applied.length - appliedBefore, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.applied.length - appliedBefore).toBe(1);
  });

  it.each<[string, Fault]>([
    ['HTTP 502', { type: 'status', status: 502 }],
    ['an HTML page', { type: 'html' }],
    ['truncated JSON', { type: 'truncated' }],
  ])(
    '%s in answer to a write → WecomOutcomeUnknownError with the HTTP error as cause, not retried',
    async (_name, fault) => {
      const { transport } = transportFor(fake);
      fake.fault(WRITE_PATH, fault);
      const { result, requests } = await counting(() => rejectionOf(transport.request(writeOp, writeInput)));
      const error = (result as PromiseFulfilledResult<unknown>).value as WecomOutcomeUnknownError;
      expect(error).toBeInstanceOf(WecomOutcomeUnknownError);
      expect(error.cause).toBeInstanceOf(WecomHttpError);
      expect(requests).toBe(1);
    },
  );

  it('errcode -1 (busy) on a write is not retried: it does not prove nothing happened', async () => {
    const { transport } = transportFor(fake);
    fake.fault(WRITE_PATH, { type: 'errcode', errcode: -1, errmsg: 'system busy' });
    const { result, requests } = await counting(() => rejectionOf(transport.request(writeOp, writeInput)));
    const error = (result as PromiseFulfilledResult<unknown>).value as WecomError;
    expect(error).toBeInstanceOf(WecomError);
    expect(error.errcode).toBe(-1);
    expect(error.message).toMatch(/does not say whether it was applied/);
    expect(requests).toBe(1);
  });
});

describe('a write is retried when the answer proves nothing happened', () => {
  it.each([45009, 45033, 6000])('errcode %i → retried, applied exactly once', async (errcode) => {
    const { transport } = transportFor(fake, { rateLimit: { pauseAfterRateLimitMs: 10 } });
    fake.fault(WRITE_PATH, { type: 'errcode', errcode });
    const { result, requests, applied } = await counting(() => transport.request(writeOp, writeInput));
    expect(result.status).toBe('fulfilled');
    expect(requests).toBe(2);
    expect(applied).toBe(1);
  });

  it('a refused token (40014) → new token, retried once, applied once', async () => {
    const { transport, events } = transportFor(fake);
    await transport.request(writeOp, writeInput);
    fake.revokeTokens();
    const { result, requests, applied } = await counting(() => transport.request(writeOp, writeInput));
    expect(result.status).toBe('fulfilled');
    expect(requests).toBe(2);
    expect(applied).toBe(1);
    expect(eventsOfType(events, 'retry').map((event) => [event.reason, event.errcode])).toEqual([
      ['token', 40014],
    ]);
  });

  it('a gettoken that times out before the write is sent → retried, applied once', async () => {
    const { transport, events } = transportFor(fake, { timeoutMs: 100, tokenStore: new MemoryTokenStore() });
    fake.fault(GETTOKEN_PATH, { type: 'latency', ms: 400 });
    const { result, requests, applied } = await counting(() => transport.request(writeOp, writeInput));
    expect(result.status).toBe('fulfilled');
    expect(requests).toBe(1);
    expect(applied).toBe(1);
    expect(eventsOfType(events, 'retry')[0]?.reason).toBe('timeout');
  });

  it('connection refused before sending → retried until WeCom is back, applied once', async () => {
    const flaky = await FakeWecom.start();
    const store = new MemoryTokenStore();
    await transportFor(flaky, { tokenStore: store }).transport.tokens?.getToken();
    const port = Number(new URL(flaky.baseUrl).port);
    await flaky.close();
    // Give the client a moment to see its kept-alive connection closed: this test is about a
    // refused connection, not a pooled socket that the server closed an instant before reuse.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { transport, events } = transportFor(flaky, {
      tokenStore: store,
      retry: { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 40 },
    });
    const pending = transport.request(writeOp, writeInput);
    while (eventsOfType(events, 'retry').length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await flaky.listen(port);
    await expect(pending).resolves.toMatchObject({ errcode: 0 });
    expect(eventsOfType(events, 'retry')[0]).toMatchObject({ reason: 'network' });
    expect(flaky.requests(WRITE_PATH)).toBe(1);
    expect(flaky.applied).toHaveLength(1);
    await flaky.close();
  });
});
