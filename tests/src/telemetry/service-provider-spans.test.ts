import { SpanKind } from '@opentelemetry/api';
import { createSuite, createWecomClient, MemorySuiteTicketStore } from '@wecom-kit/client';
import { PROVIDER_DEFAULTS, type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRedactionAudit } from '../support/audit';
import { exposedBy, registerOtel } from '../support/otel';

// A service provider's token requests are spans of their own, named after the endpoint that
// issues the token, under the call that waited for them; none of their credentials is recorded.

const otel = registerOtel();
const audit = useRedactionAudit();
const { suiteId, suiteSecret } = PROVIDER_DEFAULTS;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 200, provider: { corps: 1 } });
  audit.remember(suiteSecret);
});
afterAll(async () => {
  audit.observe(exposedBy(otel.spans(), await otel.points()));
  await sandbox.close();
});

async function control(route: string): Promise<Record<string, string>> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
  return (await (await fetch(`${sandbox.url}/__sandbox/provider/${route}`, init)).json()) as Record<
    string,
    string
  >;
}

describe('a suite and its corps', () => {
  it('trace get_suite_token and get_corp_token under the calls that waited for them', async () => {
    const tickets = new MemorySuiteTicketStore();
    const { suite_ticket = '' } = await control('push-ticket');
    audit.remember(suite_ticket);
    await tickets.set(suiteId, suite_ticket);
    const suite = createSuite({ suiteId, suiteSecret, tickets, baseUrl: sandbox.url });

    const { auth_code = '' } = await control('authorize');
    const asSuite = createWecomClient({ auth: suite, baseUrl: sandbox.url });
    const { permanent_code, auth_corp_info } = await asSuite.call('getPermanentCode', { auth_code });
    audit.remember(permanent_code);
    const corp = createWecomClient({
      auth: suite.corp({ authCorpId: auth_corp_info.corpid, permanentCode: permanent_code }),
      baseUrl: sandbox.url,
      tokenStore: audit.watchTokens(),
    });
    await corp.call('getFollowUserList');

    const suiteToken = otel.span('getSuiteToken');
    expect(suiteToken.kind).toBe(SpanKind.CLIENT);
    expect(suiteToken.parentSpanContext?.spanId).toBe(otel.span('getPermanentCode').spanContext().spanId);
    expect(suiteToken.attributes).toMatchObject({
      'wecom.operation_id': 'getSuiteToken',
      'http.request.method': 'POST',
      'url.path': '/cgi-bin/service/get_suite_token',
      'wecom.token.refresh_reason': 'cold',
    });
    const corpToken = otel.span('getCorpToken');
    expect(corpToken.parentSpanContext?.spanId).toBe(otel.span('getFollowUserList').spanContext().spanId);
    expect(corpToken.attributes).toMatchObject({
      'wecom.operation_id': 'getCorpToken',
      'http.request.method': 'POST',
      'url.path': '/cgi-bin/service/get_corp_token',
    });
    // The suite token was cached by the first call: the corp token's request needed no new one.
    expect(otel.spans().filter((span) => span.name === 'getSuiteToken')).toHaveLength(1);
    const refreshes = await otel.points('wecom.client.token.refreshes');
    expect(refreshes.map((point) => [point.attributes['wecom.operation_id'], point.value]).sort()).toEqual([
      ['getCorpToken', 1],
      ['getSuiteToken', 1],
    ]);
  });
});
