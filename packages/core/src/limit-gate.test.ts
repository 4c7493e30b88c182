import { afterEach, describe, expect, it } from 'vitest';
import { WecomTimeoutError } from './errors';
import { ManualClock } from './manual-clock';
import { rejectionOf } from './testing/audit';
import { eventsOfType, readInput, readOp, transportFor } from './testing/transport-fixtures';
import { FakeWecom, READ_PATH } from './testing/wecom-server';

let fake: FakeWecom | undefined;
afterEach(() => fake?.close());

describe('waiting for rate-limit budget', () => {
  it('does not count against the retry deadline: calls queued behind a spent window still run', async () => {
    fake = await FakeWecom.start();
    // 4 calls per 1.5 s window, a 1 s deadline: the second four wait 1.5 s for budget, longer than
    // their whole deadline, and still run. The limiter's time is a clock the test moves.
    const clock = new ManualClock(Date.now());
    const { transport, events } = transportFor(fake, {
      clock,
      rateLimit: { perMinute: 4, windowMs: 1_500 },
      retry: { deadlineMs: 1_000 },
    });
    const started = clock.now();
    const calls = Promise.all(Array.from({ length: 8 }, () => transport.request(readOp, readInput)));
    await expect.poll(() => fake?.requests(READ_PATH)).toBe(4);
    // A window, and at most one sub-window (a sixtieth) more: the budget counts whole sub-windows.
    await clock.advance(1_500 + 1_500 / 60);
    expect(await calls).toHaveLength(8);
    expect(clock.now() - started).toBeGreaterThan(1_000);
    expect(eventsOfType(events, 'rate-limited').filter((event) => event.reason === 'budget')).toHaveLength(4);
  });

  it('is bounded by rateLimit.maxQueueMs, and the call fails unsent with a message that says so', async () => {
    fake = await FakeWecom.start();
    const { transport } = transportFor(fake, {
      rateLimit: { perMinute: 1, windowMs: 60_000, maxQueueMs: 100 },
    });
    await transport.request(readOp, readInput);
    const requests = fake.requests(READ_PATH);
    const started = Date.now();
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomTimeoutError);
    expect((error as Error).message).toMatch(
      /was not sent: it waited 100 ms \(option rateLimit.maxQueueMs\)/,
    );
    expect(fake.requests(READ_PATH)).toBe(requests);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the caller can still abort a queued call', async () => {
    fake = await FakeWecom.start();
    const { transport } = transportFor(fake, { rateLimit: { perMinute: 1, windowMs: 60_000 } });
    await transport.request(readOp, readInput);
    const controller = new AbortController();
    const pending = rejectionOf(transport.request(readOp, readInput, { signal: controller.signal }));
    controller.abort(new Error('user left'));
    expect(await pending).toMatchObject({ message: 'user left' });
  });
});
