import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createWecomClient, type WecomClientOptions, WecomError } from '@wecom-kit/client';
import { ManualClock } from '@wecom-kit/core/internal';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useRedactionAudit } from '../support/audit';
import { exposedBy, registerOtel } from '../support/otel';

const otel = registerOtel();
const audit = useRedactionAudit();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 200 });
  audit.remember(sandbox.corpSecret);
});
afterAll(async () => {
  // Everything this file recorded goes to the audit: no secret or token may be in any of it.
  audit.observe(exposedBy(otel.spans(), await otel.points()));
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.reset();
  // The audit must see every span of the file: take them before they are forgotten.
  audit.observe(exposedBy(otel.spans(), await otel.points()));
  await otel.reset();
});

function client(options: Partial<WecomClientOptions> = {}) {
  return createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    tokenStore: audit.watchTokens(),
    ...options,
  });
}

const member = () => sandbox.state.people.follows[0] ?? expect.unreachable('no seeded follows');

describe('a call', () => {
  it('is a CLIENT span named after its operation, under the caller span, with gettoken under it', async () => {
    const tracer = trace.getTracer('app');
    await tracer.startActiveSpan('handle request', async (span) => {
      await client().call('getExternalContact', { external_userid: member().external_userid });
      span.end();
    });

    const caller = otel.span('handle request');
    const call = otel.span('getExternalContact');
    const getToken = otel.span('getToken');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(getToken.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(getToken.spanContext().traceId).toBe(caller.spanContext().traceId);
    expect(call.instrumentationScope.name).toBe('@wecom-kit/core');
    expect(call.attributes).toEqual({
      'wecom.operation_id': 'getExternalContact',
      'wecom.errcode': 0,
      'wecom.attempts': 1,
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': sandbox.port,
      'url.path': '/cgi-bin/externalcontact/get',
    });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(getToken.kind).toBe(SpanKind.CLIENT);
    expect(getToken.attributes).toMatchObject({
      'wecom.operation_id': 'getToken',
      'url.path': '/cgi-bin/gettoken',
      'wecom.token.refresh_reason': 'cold',
    });
    // The refresh the call waited for is an event of the call's span, and a metric.
    expect(call.events.map((event) => event.name)).toEqual(['wecom.token_refresh']);
    expect(call.events[0]?.attributes).toMatchObject({
      'wecom.token.refresh_reason': 'cold',
      'wecom.token.outcome': 'ok',
    });
    expect(await otel.points('wecom.client.token.refreshes')).toEqual([
      {
        name: 'wecom.client.token.refreshes',
        attributes: {
          'wecom.operation_id': 'getToken',
          'wecom.token.refresh_reason': 'cold',
          'wecom.token.outcome': 'ok',
        },
        value: 1,
      },
    ]);
  });

  it('counts calls and their duration by operation and errcode', async () => {
    const clock = new ManualClock(Date.now());
    const wecom = client({ clock });
    const input = { external_userid: member().external_userid };
    await wecom.call('getExternalContact', input);
    await wecom.call('getExternalContact', input);
    await wecom.call('getExternalContact', { external_userid: 'wmDoesNotExist' }).catch(() => {});

    const ok = { 'wecom.operation_id': 'getExternalContact', 'wecom.errcode': 0 };
    const failed = {
      'wecom.operation_id': 'getExternalContact',
      'wecom.errcode': 40096,
      'error.type': 'WecomError',
    };
    const calls = await otel.points('wecom.client.calls');
    expect(calls).toEqual(
      expect.arrayContaining([
        { name: 'wecom.client.calls', attributes: ok, value: 2 },
        { name: 'wecom.client.calls', attributes: failed, value: 1 },
      ]),
    );
    expect(calls).toHaveLength(2);
    // Durations come from the client's clock, which did not move: every call took 0 s.
    expect(await otel.points('wecom.client.call.duration')).toEqual(
      expect.arrayContaining([
        { name: 'wecom.client.call.duration', attributes: ok, value: 2, sum: 0 },
        { name: 'wecom.client.call.duration', attributes: failed, value: 1, sum: 0 },
      ]),
    );
  });

  it('fails with status ERROR, the error class and a redacted exception event', async () => {
    const error = await client()
      .call('getExternalContact', { external_userid: 'wmDoesNotExist' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(WecomError);
    const span = otel.span('getExternalContact');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({ 'wecom.errcode': 40096, 'error.type': 'WecomError' });
    const exception = span.events.find((event) => event.name === 'exception');
    expect(exception?.attributes).toMatchObject({ 'exception.type': 'WecomError' });
  });

  it('records a failure that never reached WeCom with its class and no errcode', async () => {
    const wecom = client({ baseUrl: 'http://127.0.0.1:9', retry: false });
    await expect(wecom.call('getExternalContact', { external_userid: 'wm1' })).rejects.toThrow();
    const span = otel.span('getExternalContact');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['wecom.errcode']).toBeUndefined();
    // getToken failed first: the attempt ended unsent, and its span says why.
    expect(span.attributes['error.type']).toBe('WecomNetworkError');
    expect(otel.span('getToken').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('is one span per page of paginate, and one per path-API request', async () => {
    const members = sandbox.state.people.members.slice(0, 10).map((person) => person.userid);
    const wecom = client();
    let pages = 0;
    for await (const _page of wecom.paginate('batchGetByUser', { userid_list: members, limit: 7 }))
      pages += 1;
    expect(pages).toBeGreaterThan(1);
    expect(otel.spans().filter((span) => span.name === 'batchGetByUser')).toHaveLength(pages);

    await wecom.GET('/cgi-bin/externalcontact/get', {
      params: { query: { external_userid: member().external_userid } },
    });
    const path = otel.span('getExternalContact');
    expect(path.attributes).toMatchObject({ 'http.request.method': 'GET', 'wecom.errcode': 0 });
    // A business error returned as `error` by the path API still fails the span.
    await wecom.GET('/cgi-bin/externalcontact/get', { params: { query: { external_userid: 'wmNope' } } });
    const failed = otel.spans().filter((span) => span.name === 'getExternalContact')[1];
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('span events', () => {
  it('record a retry with its reason and delay, and count it', async () => {
    sandbox.faults.add({ path: '/cgi-bin/externalcontact/get', errcode: -1, count: 1 });
    await client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } }).call('getExternalContact', {
      external_userid: member().external_userid,
    });
    const span = otel.span('getExternalContact');
    expect(span.attributes).toMatchObject({ 'wecom.attempts': 2, 'wecom.errcode': 0 });
    const retry = span.events.find((event) => event.name === 'wecom.retry');
    expect(retry?.attributes).toMatchObject({
      'wecom.attempt': 1,
      'wecom.retry.reason': 'errcode',
      'wecom.errcode': -1,
    });
    expect(retry?.attributes?.['wecom.retry.delay_ms']).toBeLessThanOrEqual(1);
    expect(await otel.points('wecom.client.retries')).toEqual([
      {
        name: 'wecom.client.retries',
        attributes: { 'wecom.operation_id': 'getExternalContact', 'wecom.retry.reason': 'errcode' },
        value: 1,
      },
    ]);
  });

  it('record a refused token: the retry with reason token, and the refresh it caused', async () => {
    const wecom = client();
    const input = { external_userid: member().external_userid };
    await wecom.call('getExternalContact', input);
    await otel.reset();
    sandbox.faults.add({ path: '/cgi-bin/externalcontact/get', errcode: 42001, count: 1 });
    await wecom.call('getExternalContact', input);

    const span = otel.span('getExternalContact');
    expect(
      span.events.map((event) => [
        event.name,
        event.attributes?.['wecom.retry.reason'] ?? event.attributes?.['wecom.token.refresh_reason'],
      ]),
    ).toEqual([
      ['wecom.retry', 'token'],
      ['wecom.token_refresh', 'invalidated'],
    ]);
    expect(otel.span('getToken').parentSpanContext?.spanId).toBe(span.spanContext().spanId);
    expect(await otel.points('wecom.client.token.refreshes')).toEqual([
      {
        name: 'wecom.client.token.refreshes',
        attributes: {
          'wecom.operation_id': 'getToken',
          'wecom.token.refresh_reason': 'invalidated',
          'wecom.token.outcome': 'ok',
        },
        value: 1,
      },
    ]);
  });

  it('record a wait for rate-limit budget, measured on the client clock', async () => {
    const clock = new ManualClock(Date.now());
    // Timeouts far beyond the clock's moves: only the budget holds the call back.
    const wecom = client({
      clock,
      rateLimit: { perMinute: 1, windowMs: 60_000 },
      timeoutMs: 3_600_000,
      retry: { deadlineMs: 3_600_000 },
    });
    const input = { external_userid: member().external_userid };
    await wecom.call('getExternalContact', input);
    let done = false;
    const second = wecom.call('getExternalContact', input).finally(() => {
      done = true;
    });
    // Moves the clock a second at a time until the queued call is admitted by the next window.
    await expect
      .poll(
        async () => {
          await clock.advance(2_000);
          return done;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await second;

    const waited = otel.spans().filter((span) => span.name === 'getExternalContact')[1];
    const wait = waited?.events.find((event) => event.name === 'wecom.rate_limit.wait');
    expect(wait?.attributes?.['wecom.rate_limit.reason']).toBe('budget');
    const waitMs = wait?.attributes?.['wecom.rate_limit.wait_ms'] as number;
    expect(waitMs).toBeGreaterThan(0);
    expect(await otel.points('wecom.client.rate_limit.wait')).toEqual([
      {
        name: 'wecom.client.rate_limit.wait',
        attributes: { 'wecom.operation_id': 'getExternalContact', 'wecom.rate_limit.reason': 'budget' },
        value: 1,
        sum: waitMs / 1000,
      },
    ]);
  });

  it("record WeCom's 45009 as a pause of the operation", async () => {
    sandbox.faults.add({ path: '/cgi-bin/externalcontact/get', errcode: 45009, count: 1 });
    await client({ rateLimit: { pauseAfterRateLimitMs: 1 }, retry: { baseDelayMs: 1, maxDelayMs: 1 } }).call(
      'getExternalContact',
      { external_userid: member().external_userid },
    );
    const span = otel.span('getExternalContact');
    const pause = span.events.find((event) => event.name === 'wecom.rate_limit.pause');
    expect(pause?.attributes).toMatchObject({
      'wecom.rate_limit.reason': 'server',
      'wecom.rate_limit.pause_ms': 1,
    });
    expect(span.attributes).toMatchObject({ 'wecom.attempts': 2, 'wecom.errcode': 0 });
  });
});

describe('url.path', () => {
  it('never holds the query, where the access token travels', async () => {
    await client().call('getExternalContact', { external_userid: member().external_userid });
    for (const span of otel.spans()) expect(String(span.attributes['url.path'])).not.toContain('?');
  });
});
