import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { WecomError, WecomHttpError, WecomNetworkError, WecomTimeoutError } from './errors';
import { rejectionOf } from './testing/audit';
import { eventsOfType, readInput, readOp, transportFor } from './testing/transport-fixtures';
import { FakeWecom, type Fault, READ_PATH } from './testing/wecom-server';

let fake: FakeWecom;
beforeAll(async () => {
  fake = await FakeWecom.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.clearFaults());

describe('reads retry on every transient failure', () => {
  const transientFaults: [string, Fault][] = [
    ['errcode -1 (busy)', { type: 'errcode', errcode: -1, errmsg: 'system busy' }],
    ['errcode 45033 (concurrency)', { type: 'errcode', errcode: 45033 }],
    ['errcode 6000 (version conflict)', { type: 'errcode', errcode: 6000 }],
    ['HTTP 502', { type: 'status', status: 502 }],
    ['HTML instead of JSON', { type: 'html' }],
    ['garbage body', { type: 'garbage' }],
    ['truncated JSON', { type: 'truncated' }],
    ['dropped connection', { type: 'drop' }],
  ];
  it.each(transientFaults)('%s → retried, then succeeds', async (_name, fault) => {
    const { transport, events } = transportFor(fake);
    const before = fake.requests(READ_PATH);
    fake.fault(READ_PATH, fault);
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
    expect(fake.requests(READ_PATH) - before).toBe(2);
    expect(eventsOfType(events, 'retry')).toHaveLength(1);
  });

  it('gives up after maxAttempts and throws the last failure', async () => {
    const { transport, events } = transportFor(fake, { retry: { maxAttempts: 3 } });
    const before = fake.requests(READ_PATH);
    fake.fault(READ_PATH, ...Array.from({ length: 3 }, (): Fault => ({ type: 'errcode', errcode: -1 })));
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: -1, category: 'transient' });
    expect((error as Error).message).toContain('Gave up after 3 attempts');
    expect(fake.requests(READ_PATH) - before).toBe(3);
    expect(eventsOfType(events, 'retry').map((event) => event.attempt)).toEqual([1, 2]);
  });

  it('does not retry client or config errcodes', async () => {
    const { transport } = transportFor(fake);
    const before = fake.requests(READ_PATH);
    fake.fault(READ_PATH, { type: 'errcode', errcode: 40058 }, { type: 'errcode', errcode: 60020 });
    await expect(transport.request(readOp, readInput)).rejects.toMatchObject({
      errcode: 40058,
      category: 'client',
    });
    await expect(transport.request(readOp, readInput)).rejects.toMatchObject({
      errcode: 60020,
      category: 'config',
    });
    expect(fake.requests(READ_PATH) - before).toBe(2);
  });

  it('does not retry a 404 from a wrong baseUrl, and says so', async () => {
    const { transport } = transportFor(fake, { baseUrl: `${fake.baseUrl}/wrong-prefix` });
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomHttpError);
    expect(error).toMatchObject({ status: 404, reason: 'status', operationId: 'getToken' });
    expect((error as Error).message).toContain('Check that baseUrl points at WeCom');
  });
});

describe('answers that are not WeCom JSON become typed errors, never a SyntaxError', () => {
  const cases: [Fault, WecomHttpError['reason'], RegExp][] = [
    [{ type: 'html' }, 'html', /HTML page \(HTTP 200\)/],
    [{ type: 'garbage' }, 'not-json', /not JSON/],
    [{ type: 'truncated' }, 'truncated', /ends too early/],
    [{ type: 'status', status: 503, body: '<html>Service Unavailable</html>' }, 'status', /HTTP 503/],
  ];
  it.each(cases)('%o → WecomHttpError(%s)', async (fault, reason, message) => {
    const { transport } = transportFor(fake, { retry: false });
    fake.fault(READ_PATH, fault);
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomHttpError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect((error as WecomHttpError).reason).toBe(reason);
    expect((error as Error).message).toMatch(message);
    expect((error as WecomHttpError).bodySnippet.length).toBeLessThanOrEqual(160);
  });

  it('a refused connection is a WecomNetworkError naming the cause', async () => {
    const closed = await FakeWecom.start();
    await closed.close();
    const { transport } = transportFor(closed, { retry: { maxAttempts: 2 } });
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomNetworkError);
    expect((error as WecomNetworkError).code).toBe('ECONNREFUSED');
  });
});

describe('time limits', () => {
  it('a slow answer hits the per-attempt timeout, and the read is retried', async () => {
    const { transport, events } = transportFor(fake, { timeoutMs: 150 });
    fake.fault(READ_PATH, { type: 'latency', ms: 1_000 });
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
    expect(eventsOfType(events, 'retry')[0]?.reason).toBe('timeout');
  });

  it('CallOptions.timeoutMs overrides the transport timeout', async () => {
    const { transport } = transportFor(fake, { retry: false, timeoutMs: 5_000 });
    fake.fault(READ_PATH, { type: 'latency', ms: 10_000 });
    const started = Date.now();
    const error = await rejectionOf(transport.request(readOp, readInput, { timeoutMs: 100 }));
    expect(error).toBeInstanceOf(WecomTimeoutError);
    expect(error).toMatchObject({ scope: 'attempt', timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('the overall deadline ends a call that keeps failing, whatever attempt it is on', async () => {
    const { transport, events } = transportFor(fake, {
      timeoutMs: 100,
      retry: { deadlineMs: 400, maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 50 },
    });
    fake.fault(READ_PATH, ...Array.from({ length: 10 }, (): Fault => ({ type: 'latency', ms: 1_000 })));
    const started = Date.now();
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // Ten attempts without the deadline would take over 1.5 s.
    expect(Date.now() - started).toBeLessThan(1_300);
    expect(eventsOfType(events, 'request').length).toBeLessThan(10);
  });

  it('aborting during a backoff sleep ends the call at once', async () => {
    // Full jitter draws the backoff from [0, 5 s): pin it near the top, or a short draw would end
    // the sleep before the abort and the retry would succeed.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    onTestFinished(() => random.mockRestore());
    const { transport, events } = transportFor(fake, { retry: { baseDelayMs: 5_000, maxDelayMs: 5_000 } });
    fake.fault(READ_PATH, { type: 'errcode', errcode: -1 });
    const controller = new AbortController();
    const pending = rejectionOf(transport.request(readOp, readInput, { signal: controller.signal }));
    await expect.poll(() => eventsOfType(events, 'retry').length).toBe(1);
    const before = fake.requests(READ_PATH);
    const abortedAt = Date.now();
    controller.abort(new DOMException('stop', 'AbortError'));
    const error = await pending;
    expect((error as DOMException).name).toBe('AbortError');
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    expect(fake.requests(READ_PATH)).toBe(before);
  });
});

describe('retry budget', () => {
  it('an outage spends the budget, after which calls fail without retrying', async () => {
    const { transport } = transportFor(fake, {
      retry: { budget: 3, budgetRefillPerSecond: 0, maxAttempts: 4 },
    });
    const before = fake.requests(READ_PATH);
    fake.fault(READ_PATH, ...Array.from({ length: 20 }, (): Fault => ({ type: 'status', status: 503 })));
    for (let call = 0; call < 5; call++) {
      await expect(transport.request(readOp, readInput)).rejects.toBeInstanceOf(WecomHttpError);
    }
    // Without a budget 5 calls × 4 attempts = 20 requests; with it, 5 first tries + 3 retries.
    expect(fake.requests(READ_PATH) - before).toBe(8);
  });

  it('successful calls earn retries back', async () => {
    const { transport } = transportFor(fake, { retry: { budget: 1, budgetRefillPerSecond: 0 } });
    fake.fault(READ_PATH, { type: 'errcode', errcode: -1 });
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
    fake.fault(READ_PATH, { type: 'errcode', errcode: -1 });
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
  });
});
