import { describe, expect, it } from 'vitest';
import { WecomConfigError } from '../errors';
import type { WecomEvent } from '../events';
import type { HttpRequest, HttpSend } from '../http';
import { ManualClock } from '../manual-clock';
import type { OperationMeta } from '../operation';
import { REDACTED, redact } from '../redact';
import { createSharedResources } from '../shared';
import { exposedText, observe, rejectionOf, rememberSensitive } from '../testing/audit';
import { createTransport } from '../transport';
import { createSuite, customizedApp, serviceProvider, type WecomAuth } from './auth';
import type { TokenProvider } from './provider';
import { MemorySuiteTicketStore } from './suite-tickets';

// The token sources of a service provider against an in-process double of WeCom's token
// endpoints (reached through the transport's HttpSend): it checks credentials, the suite ticket
// and the suite token as WeCom does, answers get_corp_token without errcode (WeCom's quirk), and
// counts what it issued. Time is a ManualClock.

const SUITE = { suiteId: 'wwsuite01', suiteSecret: 'suite-secret-9f8e7d6c5b4a' };
const PROVIDER = { corpId: 'wwprovider', providerSecret: 'provider-secret-1a2b3c4d5e' };
const CORPS = {
  wwcorpA: 'permanent-code-A-0c1d2e3f4a5b',
  wwcorpB: 'permanent-code-B-6a7b8c9d0e1f',
} as const;
const TICKET = 'suite-ticket-77aa88bb99cc';
for (const secret of [SUITE.suiteSecret, PROVIDER.providerSecret, TICKET, ...Object.values(CORPS)]) {
  rememberSensitive(secret);
}

class TokenEndpoints {
  readonly calls = { suite: 0, corp: 0, provider: 0, gettoken: 0, business: [] as string[] };
  readonly suiteTokens = new Set<string>();
  readonly tokensByCorp = new Map<string, Set<string>>();
  #serial = 0;

  readonly send: HttpSend = async (request: HttpRequest) => {
    const url = new URL(request.url);
    const body = (request.body ?? {}) as Record<string, string>;
    const answer = (value: object) => ({ status: 200, text: JSON.stringify(value) });
    const issue = (prefix: string) => {
      const token = `${prefix}-${++this.#serial}-${'x'.repeat(24)}`;
      rememberSensitive(token);
      return token;
    };
    switch (url.pathname) {
      case '/cgi-bin/service/get_suite_token': {
        this.calls.suite += 1;
        if (body.suite_secret !== SUITE.suiteSecret)
          return answer({ errcode: 40001, errmsg: 'invalid credential' });
        if (body.suite_ticket !== TICKET) return answer({ errcode: 40085, errmsg: 'invalid suite_ticket' });
        const token = issue('suite');
        this.suiteTokens.add(token);
        return answer({ errcode: 0, errmsg: 'ok', suite_access_token: token, expires_in: 7200 });
      }
      case '/cgi-bin/service/get_corp_token': {
        this.calls.corp += 1;
        if (!this.suiteTokens.has(url.searchParams.get('suite_access_token') ?? '')) {
          return answer({ errcode: 42009, errmsg: 'suite_access_token expired' });
        }
        const code = CORPS[body.auth_corpid as keyof typeof CORPS];
        if (code === undefined || body.permanent_code !== code) {
          return answer({ errcode: 40084, errmsg: 'invalid permanent_code' });
        }
        const token = issue(`corp-${body.auth_corpid}`);
        this.tokensByCorp.set(body.auth_corpid ?? '', new Set([token]));
        // Success without errcode, as WeCom documents for this endpoint.
        return answer({ access_token: token, expires_in: 7200 });
      }
      case '/cgi-bin/service/get_provider_token': {
        this.calls.provider += 1;
        if (body.corpid !== PROVIDER.corpId || body.provider_secret !== PROVIDER.providerSecret) {
          return answer({ errcode: 40001, errmsg: 'invalid provider_secret' });
        }
        return answer({ provider_access_token: issue('provider'), expires_in: 7200 });
      }
      case '/cgi-bin/gettoken': {
        this.calls.gettoken += 1;
        const corpId = url.searchParams.get('corpid') ?? '';
        if (CORPS[corpId as keyof typeof CORPS] !== url.searchParams.get('corpsecret')) {
          return answer({ errcode: 40001, errmsg: 'invalid credential' });
        }
        const token = issue(`customized-${corpId}`);
        this.tokensByCorp.set(corpId, new Set([token]));
        return answer({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
      }
      default:
        this.calls.business.push(url.search);
        return answer({ errcode: 0, errmsg: 'ok' });
    }
  };
}

const BASE_URL = 'https://wecom.test';
const READ: OperationMeta = {
  operationId: 'getExternalContact',
  method: 'GET',
  path: '/cgi-bin/externalcontact/get',
  idempotent: true,
};
const SUITE_OP: OperationMeta = {
  operationId: 'getAuthInfo',
  method: 'POST',
  path: '/cgi-bin/service/get_auth_info',
  idempotent: true,
  token: 'suite',
};
const PROVIDER_OP: OperationMeta = {
  operationId: 'finishExternalUseridMigration',
  method: 'POST',
  path: '/cgi-bin/service/externalcontact/finish_external_userid_migration',
  idempotent: false,
  token: 'provider',
};

function world() {
  const wecom = new TokenEndpoints();
  const clock = new ManualClock(1_700_000_000_000);
  const events: WecomEvent[] = [];
  const onEvent = (event: WecomEvent) => {
    events.push(event);
    observe(event);
  };
  // What the clients of the provider's process share: the way requests go out, the token store, the clock.
  const shared = createSharedResources({ send: wecom.send, clock, onEvent });
  const tickets = new MemorySuiteTicketStore(clock);
  const suite = createSuite({ ...SUITE, tickets, baseUrl: BASE_URL, shared });
  const transport = (auth: WecomAuth) =>
    createTransport({ auth, baseUrl: BASE_URL, shared, retry: false, rateLimit: false });
  const settings = {
    baseUrl: BASE_URL,
    send: wecom.send,
    timeoutMs: 1000,
    store: shared.tokenStore,
    emit: onEvent,
    clock,
  };
  return { wecom, clock, events, tickets, suite, transport, settings };
}

describe('third-party suite: one suite token, a corp token per authorizing corp', () => {
  it('without a stored ticket says the command callback must deliver one, and works as soon as it has', async () => {
    const { wecom, tickets, suite } = world();
    const error = await rejectionOf(suite.tokens.getToken());
    expect(error).toBeInstanceOf(WecomConfigError);
    expect((error as Error).message).toMatch(
      /No suite_ticket is stored for suite wwsuite01.*command callback URL/,
    );
    expect(wecom.calls.suite).toBe(0);
    await tickets.set(SUITE.suiteId, TICKET);
    // Not remembered as a configuration failure: no request was refused, the next call just works.
    await expect(suite.tokens.getToken()).resolves.toMatch(/^suite-/);
  });

  it('serves two corps from one suite token, each with its own corp token', async () => {
    const { wecom, tickets, suite, transport } = world();
    await tickets.set(SUITE.suiteId, TICKET);
    const clientOf = (authCorpId: keyof typeof CORPS) =>
      transport(suite.corp({ authCorpId, permanentCode: CORPS[authCorpId] }));
    const [a, b] = [clientOf('wwcorpA'), clientOf('wwcorpB')];
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).request(READ, { query: {} })));
    expect(wecom.calls.suite).toBe(1);
    expect(wecom.calls.corp).toBe(2);
    const sent = wecom.calls.business.map((query) => new URLSearchParams(query).get('access_token'));
    const [tokenA] = wecom.tokensByCorp.get('wwcorpA') ?? [];
    const [tokenB] = wecom.tokensByCorp.get('wwcorpB') ?? [];
    expect(sent.filter((token) => token === tokenA)).toHaveLength(10);
    expect(sent.filter((token) => token === tokenB)).toHaveLength(10);
  });

  it('a suite token get_corp_token refuses is replaced once; the other corp keeps its corp token', async () => {
    const { wecom, tickets, suite, settings } = world();
    await tickets.set(SUITE.suiteId, TICKET);
    const sourceA = suite
      .corp({ authCorpId: 'wwcorpA', permanentCode: CORPS.wwcorpA })
      .createTokenSource(settings);
    const sourceB = suite
      .corp({ authCorpId: 'wwcorpB', permanentCode: CORPS.wwcorpB })
      .createTokenSource(settings);
    const tokenA = await sourceA.getToken();
    wecom.suiteTokens.clear(); // WeCom revokes the suite token early.
    const tokensB = await Promise.all(Array.from({ length: 100 }, () => sourceB.getToken()));
    expect(new Set(tokensB).size).toBe(1);
    expect(wecom.calls.suite).toBe(2);
    expect(wecom.calls.corp).toBe(3); // A once, B refused once, B again.
    expect(await sourceA.getToken()).toBe(tokenA);
  });

  it('a permanent code WeCom refuses is a configuration error that names the fix, and no secret', async () => {
    const { wecom, tickets, suite, transport, events } = world();
    await tickets.set(SUITE.suiteId, TICKET);
    const client = transport(suite.corp({ authCorpId: 'wwcorpA', permanentCode: CORPS.wwcorpB }));
    const error = await rejectionOf(client.request(READ, { query: {} }));
    expect(error).toBeInstanceOf(WecomConfigError);
    expect((error as Error).message).toMatch(/getCorpToken failed with WeCom errcode 40084.*cancel_auth/);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'token-refresh',
        operationId: 'getCorpToken',
        outcome: 'error',
        errcode: 40084,
      }),
    );
    for (const secret of [...Object.values(CORPS), SUITE.suiteSecret, TICKET, ...wecom.suiteTokens]) {
      expect(exposedText(error)).not.toContain(secret);
      expect(exposedText(events)).not.toContain(secret);
    }
  });

  it('expiry refreshes the suite token and the corp token once each, for 100 concurrent callers', async () => {
    const { wecom, clock, tickets, suite, settings } = world();
    await tickets.set(SUITE.suiteId, TICKET);
    const source = suite
      .corp({ authCorpId: 'wwcorpA', permanentCode: CORPS.wwcorpA })
      .createTokenSource(settings);
    const first = await source.getToken();
    await clock.advance(3_600_000); // An hour: both tokens still valid, nothing refreshed.
    expect(await source.getToken()).toBe(first);
    expect(wecom.calls).toMatchObject({ suite: 1, corp: 1 });
    await clock.advance(3_700_000); // Past both expiries.
    await tickets.set(SUITE.suiteId, TICKET); // The command callback keeps the ticket fresh.
    const again = await Promise.all(Array.from({ length: 100 }, () => source.getToken()));
    expect(new Set(again).size).toBe(1);
    expect(again[0]).not.toBe(first);
    expect(wecom.calls).toMatchObject({ suite: 2, corp: 2 });
  });
});

describe('token kinds per operation', () => {
  it('sends each kind under its own query parameter', async () => {
    const { wecom, tickets, suite, transport } = world();
    await tickets.set(SUITE.suiteId, TICKET);
    await transport(serviceProvider(PROVIDER)).request(PROVIDER_OP, { body: { corpid: 'wwcorpA' } });
    expect(new URLSearchParams(wecom.calls.business.at(-1)).get('provider_access_token')).toMatch(
      /^provider-/,
    );
    await transport(suite).request(SUITE_OP, { body: {} });
    expect(new URLSearchParams(wecom.calls.business.at(-1)).get('suite_access_token')).toMatch(/^suite-/);
    expect(wecom.calls).toMatchObject({ provider: 1, suite: 1 });
  });

  it('refuses before sending an operation whose token the source cannot give, naming the right source', async () => {
    const { wecom, transport } = world();
    const customized = transport(customizedApp({ corpId: 'wwcorpA', permanentCode: CORPS.wwcorpA }));
    const error = await rejectionOf(customized.request(SUITE_OP, { body: {} }));
    expect(error).toBeInstanceOf(WecomConfigError);
    expect((error as Error).message).toMatch(
      /getAuthInfo is sent with a suite_access_token, but this client's token source gives a access_token.*auth: suite/,
    );
    const provider = transport(serviceProvider(PROVIDER));
    await expect(provider.request(READ, { query: {} })).rejects.toThrow(
      /corpId and corpSecret, auth: customizedApp/,
    );
    expect(wecom.calls).toMatchObject({ gettoken: 0, provider: 0, business: [] });
  });

  it('a customized app gets its corp token from gettoken with the permanent code, redacted', async () => {
    const { wecom, transport } = world();
    await transport(customizedApp({ corpId: 'wwcorpB', permanentCode: CORPS.wwcorpB })).request(READ, {
      query: {},
    });
    expect(wecom.calls.gettoken).toBe(1);
    expect(redact(`code ${CORPS.wwcorpB}`)).toBe(`code ${REDACTED}`);
    const wrong = transport(customizedApp({ corpId: 'wwcorpA', permanentCode: CORPS.wwcorpB }));
    await expect(wrong.request(READ, { query: {} })).rejects.toThrow(/the permanent code was refused/);
  });

  it('keeps kinds apart in the store, under keys that hold no secret', async () => {
    const { suite, settings } = world();
    const sources = [
      suite.tokens,
      suite.corp({ authCorpId: 'wwcorpA', permanentCode: CORPS.wwcorpA }).createTokenSource(settings),
      customizedApp({ corpId: 'wwcorpA', permanentCode: CORPS.wwcorpA }).createTokenSource(settings),
      serviceProvider(PROVIDER).createTokenSource(settings),
    ];
    const keys = await Promise.all(sources.map((source) => (source as TokenProvider).cacheKey()));
    expect(keys.map((key) => key.split(':').slice(0, 2).join(':'))).toEqual([
      'wecom:suite-token',
      'wecom:corp-token',
      'wecom:token',
      'wecom:provider-token',
    ]);
    for (const secret of [SUITE.suiteSecret, PROVIDER.providerSecret, ...Object.values(CORPS)]) {
      expect(keys.join(' ')).not.toContain(secret);
    }
  });

  it('needs auth or corpId/corpSecret, never both, and names an empty credential', () => {
    expect(() =>
      createTransport({ auth: serviceProvider(PROVIDER), corpId: 'ww1', corpSecret: 's' }),
    ).toThrow(/auth was given together with corpId or corpSecret/);
    expect(() => customizedApp({ corpId: 'wwcorpA', permanentCode: '' })).toThrow(/permanentCode is empty/);
    expect(() => createSuite({ suiteId: 'wwsuite01', suiteSecret: undefined as unknown as string })).toThrow(
      /suiteSecret is missing/,
    );
  });
});
