import { afterEach, describe, expect, it } from 'vitest';
import { WecomError, WecomTimeoutError } from './errors';
import { rejectionOf } from './testing/audit';
import { eventsOfType, readInput, readOp, transportFor } from './testing/transport-fixtures';
import { FakeWecom, READ_PATH } from './testing/wecom-server';

let fake: FakeWecom | undefined;
afterEach(() => fake?.close());

describe('the limiter keeps calls under WeCom limits instead of bouncing off them', () => {
  it('perMinute: 15 calls against a server allowing 5 per window → no 45009', async () => {
    fake = await FakeWecom.start({ rateLimits: { [READ_PATH]: { calls: 5, windowMs: 300 } } });
    // The client window is longer than the server's, as the default one is: delays shift arrival times.
    const { transport, events } = transportFor(fake, {
      rateLimit: { perMinute: 5, windowMs: 500 },
      retry: false,
    });
    const started = Date.now();
    const bodies = await Promise.all(Array.from({ length: 15 }, () => transport.exchange(readOp, readInput)));
    expect(bodies.filter(({ body }) => body.errcode === 45009)).toEqual([]);
    expect(bodies.map(({ body }) => body.errcode)).toEqual(Array(15).fill(0));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(eventsOfType(events, 'rate-limited').every((event) => event.reason === 'budget')).toBe(true);
    expect(eventsOfType(events, 'rate-limited').length).toBeGreaterThanOrEqual(10);
  });

  it("the operation's own rateLimitPerMinute overrides the default budget", async () => {
    fake = await FakeWecom.start();
    const { transport } = transportFor(fake, { rateLimit: { windowMs: 200 } });
    const slowOp = { ...readOp, operationId: 'addMomentTaskLike', rateLimitPerMinute: 2 };
    const started = Date.now();
    await Promise.all(Array.from({ length: 3 }, () => transport.request(slowOp, readInput)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('concurrency: 20 parallel calls against a cap of 4 in flight → no 45033', async () => {
    fake = await FakeWecom.start({ concurrencyCaps: { [READ_PATH]: 4 }, latencyMs: 30 });
    const { transport } = transportFor(fake, { rateLimit: { concurrency: 4 }, retry: false });
    const bodies = await Promise.all(Array.from({ length: 20 }, () => transport.exchange(readOp, readInput)));
    expect(bodies.map(({ body }) => body.errcode)).toEqual(Array(20).fill(0));
    expect(fake.maxInFlight.get(READ_PATH)).toBeLessThanOrEqual(4);
  });

  it('without the limiter the same load does hit 45033', async () => {
    fake = await FakeWecom.start({ concurrencyCaps: { [READ_PATH]: 4 }, latencyMs: 30 });
    const { transport } = transportFor(fake, { rateLimit: false, retry: false });
    const bodies = await Promise.all(Array.from({ length: 20 }, () => transport.exchange(readOp, readInput)));
    expect(bodies.some(({ body }) => body.errcode === 45033)).toBe(true);
  });
});

describe('a 45009 answer pauses the operation', () => {
  it('the call waits out the pause, then retries', async () => {
    fake = await FakeWecom.start();
    const { transport, events } = transportFor(fake, { rateLimit: { pauseAfterRateLimitMs: 200 } });
    fake.fault(READ_PATH, { type: 'errcode', errcode: 45009 });
    const started = Date.now();
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(eventsOfType(events, 'rate-limited')).toEqual([
      expect.objectContaining({
        reason: 'server',
        errcode: 45009,
        waitMs: 200,
        operationId: 'getExternalContact',
      }),
    ]);
  });

  it('calls already queued when WeCom answers 45009 fail at once if the pause outlasts their deadline', async () => {
    fake = await FakeWecom.start({ latencyMs: 50 });
    const { transport } = transportFor(fake, { rateLimit: { concurrency: 1 }, retry: { deadlineMs: 5_000 } });
    await transport.request(readOp, readInput);
    fake.fault(READ_PATH, { type: 'errcode', errcode: 45009 });
    const requestsBefore = fake.requests(READ_PATH);
    const started = Date.now();
    const errors = await Promise.all(
      Array.from({ length: 3 }, () => rejectionOf(transport.request(readOp, readInput))),
    );
    expect(errors[0]).toMatchObject({ errcode: 45009 });
    expect(errors[1]).toBeInstanceOf(WecomTimeoutError);
    expect(errors[2]).toBeInstanceOf(WecomTimeoutError);
    expect((errors[1] as Error).message).toMatch(/was not sent: WeCom answered 45009/);
    expect(fake.requests(READ_PATH) - requestsBefore).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a pause longer than the deadline fails the call now, and later calls without sending', async () => {
    fake = await FakeWecom.start();
    const { transport } = transportFor(fake, { rateLimit: { pauseAfterRateLimitMs: 60_000 } });
    fake.fault(READ_PATH, { type: 'errcode', errcode: 45009 });
    const started = Date.now();
    const first = await rejectionOf(transport.request(readOp, readInput));
    expect(first).toBeInstanceOf(WecomError);
    expect((first as Error).message).toMatch(
      /paused until \d{4}-\d\d-\d\dT[\d:.]+Z, past the call's deadline/,
    );
    const requests = fake.requests(READ_PATH);
    const second = await rejectionOf(transport.request(readOp, readInput));
    expect(second).toBeInstanceOf(WecomTimeoutError);
    expect((second as Error).message).toMatch(/was not sent: WeCom answered 45009/);
    expect(fake.requests(READ_PATH)).toBe(requests);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
