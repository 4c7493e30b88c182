import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createWecomClient, type WecomEvent } from '@wecom-kit/client';
import { createWecomProxy } from '@wecom-kit/client/proxy';
import { createCallbackHandler, createCallbackRequest } from '@wecom-kit/core/callbacks';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useRedactionAudit } from '../support/audit';
import { exposedBy, registerOtel } from '../support/otel';

const otel = registerOtel();
const audit = useRedactionAudit();
let sandbox: Sandbox;

const CALLBACK_TOKEN = 'otelCallbackToken7f3';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 50 });
  for (const secret of [sandbox.corpSecret, CALLBACK_TOKEN, AES_KEY]) audit.remember(secret);
});
afterAll(async () => {
  audit.observe(exposedBy(otel.spans(), await otel.points()));
  await sandbox.close();
});
beforeEach(async () => {
  audit.observe(exposedBy(otel.spans(), await otel.points()));
  await otel.reset();
});

function proxy(authorize: () => string | null = () => 'user-1') {
  const client = createWecomClient({
    corpId: sandbox.corpId,
    corpSecret: sandbox.corpSecret,
    baseUrl: sandbox.url,
    tokenStore: audit.watchTokens(),
  });
  return createWecomProxy({ client, authorize, basePath: '/api/wecom', allowedHosts: ['crm.test'] });
}

const member = () => sandbox.state.people.follows[0] ?? expect.unreachable('no seeded follows');

describe('the proxy', () => {
  it('serves each request under a SERVER span named after its route, the client span under it', async () => {
    const url = `http://crm.test/api/wecom/cgi-bin/externalcontact/get?external_userid=${member().external_userid}`;
    const response = await proxy()(
      new Request(url, { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } }),
    );
    expect(response.status).toBe(200);

    const server = otel.span('GET /api/wecom/cgi-bin/externalcontact/get');
    expect(server.kind).toBe(SpanKind.SERVER);
    // The caller's trace context (W3C traceparent) is the parent.
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/api/wecom/cgi-bin/externalcontact/get',
      'url.scheme': 'http',
      'http.route': '/api/wecom/cgi-bin/externalcontact/get',
      'wecom.operation_id': 'getExternalContact',
      'http.response.status_code': 200,
    });
    const call = otel.span('getExternalContact');
    expect(call.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it('says why it refused a request, without marking the span failed for a 4xx', async () => {
    const response = await proxy(() => null)(
      new Request(
        'http://crm.test/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1&access_token=stolen',
      ),
    );
    expect(response.status).toBe(403);
    const server = otel.span('GET /api/wecom/cgi-bin/externalcontact/get');
    expect(server.attributes).toMatchObject({
      'wecom.rejection': 'unauthorized',
      'http.response.status_code': 403,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(JSON.stringify(server.attributes)).not.toContain('stolen');

    await proxy()(new Request('http://evil.test/api/wecom/cgi-bin/externalcontact/get'));
    const refused = otel.spans().find((span) => span.attributes['wecom.rejection'] === 'host');
    // Refused before its route was known: named after the method only.
    expect(refused?.name).toBe('GET');
  });
});

describe('the proxy, when WeCom cannot be reached', () => {
  it('answers 502 under a span with status ERROR, the client span under it failed too', async () => {
    const client = createWecomClient({
      corpId: sandbox.corpId,
      corpSecret: sandbox.corpSecret,
      baseUrl: 'http://127.0.0.1:9',
      retry: false,
    });
    const handler = createWecomProxy({
      client,
      authorize: () => 'user-1',
      basePath: '/api/wecom',
      allowedHosts: ['crm.test'],
      onError: () => {},
    });
    const response = await handler(
      new Request('http://crm.test/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1'),
    );
    expect(response.status).toBe(502);
    const server = otel.span('GET /api/wecom/cgi-bin/externalcontact/get');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes).toMatchObject({ 'error.type': '502', 'http.response.status_code': 502 });
    const call = otel.span('getExternalContact');
    expect(call.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('the callback handler', () => {
  const handler = createCallbackHandler({
    token: CALLBACK_TOKEN,
    encodingAESKey: AES_KEY,
    corpId: 'wwotelcallback',
    on: {},
  });
  const sender = { token: CALLBACK_TOKEN, encodingAESKey: AES_KEY, corpId: 'wwotelcallback' };
  const event = {
    ToUserName: 'wwotelcallback',
    FromUserName: 'sys',
    CreateTime: 1_700_000_000,
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: 'add_external_contact',
    UserID: 'zhangsan',
    ExternalUserID: 'woOtel0001',
  };

  it('serves an event under a SERVER span with its event name, and a replay as a duplicate', async () => {
    const request = () => createCallbackRequest('http://app.test/wecom/callback', { ...event }, sender);
    expect((await handler(request())).status).toBe(200);
    expect((await handler(request())).status).toBe(200);

    const [first, second] = otel.spans().filter((span) => span.name === 'POST wecom callback');
    expect(first?.kind).toBe(SpanKind.SERVER);
    expect(first?.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/wecom/callback',
      'url.scheme': 'http',
      'wecom.callback.kind': 'event',
      'wecom.callback.event': 'addExternalContact',
      'http.response.status_code': 200,
    });
    expect(second?.attributes['wecom.callback.duplicate']).toBe(true);
  });

  it('says why it refused a request whose signature does not match', async () => {
    const request = createCallbackRequest('http://app.test/wecom/callback', event, {
      ...sender,
      token: 'anotherToken',
    });
    expect((await handler(request)).status).toBe(401);
    const span = otel.span('POST wecom callback');
    expect(span.attributes).toMatchObject({
      'wecom.rejection': 'signature',
      'http.response.status_code': 401,
    });
  });
});

describe('spec drift', () => {
  it('is a span event on the caller span and a counter by kind', async () => {
    const drifted: WecomEvent[] = [];
    // A WeCom that adds a field to every answer of get: the client's specCheck reports it.
    const addField: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const body = (await answer.json()) as Record<string, unknown>;
      if (String(input).includes('/externalcontact/get?')) body.brand_new_field = 'value';
      return Response.json(body);
    };
    const client = createWecomClient({
      corpId: sandbox.corpId,
      corpSecret: sandbox.corpSecret,
      baseUrl: sandbox.url,
      fetch: addField,
      tokenStore: audit.watchTokens(),
      specCheck: { sampleRate: 1 },
      onEvent: (driftEvent) => {
        if (driftEvent.type === 'spec-drift') drifted.push(driftEvent);
      },
    });
    await trace.getTracer('app').startActiveSpan('job', async (span) => {
      await client.call('getExternalContact', { external_userid: member().external_userid });
      await expect.poll(() => drifted.length).toBe(1);
      span.end();
    });
    const job = otel.span('job');
    expect(job.events.find((spanEvent) => spanEvent.name === 'wecom.spec_drift')?.attributes).toEqual({
      'wecom.operation_id': 'getExternalContact',
      'wecom.spec_drift.kind': 'unknown-field',
      'wecom.spec_drift.pointer': '/brand_new_field',
    });
    expect(await otel.points('wecom.client.spec_drift')).toEqual([
      {
        name: 'wecom.client.spec_drift',
        attributes: { 'wecom.operation_id': 'getExternalContact', 'wecom.spec_drift.kind': 'unknown-field' },
        value: 1,
      },
    ]);
  });
});
