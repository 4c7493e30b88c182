import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { serviceOperations } from './provider/operations';
import { PROVIDER_DEFAULTS } from './provider/options';
import { TICKET_INTERVAL_MS, TICKET_LIFETIME_MS } from './provider/tickets';
import { startSandbox } from './server';
import { startCheckedSandbox } from './testing/fidelity';
import { type Body, suiteCredentials, TTL_SECONDS, useProviderSandbox } from './testing/provider-fixture';

// The provider mode's credentials: suite tickets, suite and provider tokens, provider-level operations.
const t = useProviderSandbox();
const { world, call, get, control, ticket, suiteToken, authorize, corpToken, customersOf } = t;

describe('suite tickets', () => {
  it('are pushed to the command URL at start and every 10 minutes, sealed for the suite id', async () => {
    const first = await ticket();
    const [pushed] = t.receiver.commands;
    expect(t.receiver.badSignatures).toBe(0);
    expect(pushed?.receiveId).toBe(PROVIDER_DEFAULTS.suiteId);
    expect(pushed?.envelope.ToUserName).toBe(PROVIDER_DEFAULTS.suiteId);
    expect(pushed?.message).toMatchObject({ SuiteId: PROVIDER_DEFAULTS.suiteId, InfoType: 'suite_ticket' });

    t.clock += TICKET_INTERVAL_MS - 1_000;
    await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    expect(await ticket()).toBe(first);
    t.clock += 1_000;
    await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    const second = await ticket();
    expect(second).not.toBe(first);
  });

  it('stay valid for 30 minutes after their push, then get 40085', async () => {
    const first = await ticket();
    t.clock += TICKET_INTERVAL_MS;
    await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    const second = await ticket();
    t.clock += TICKET_LIFETIME_MS - TICKET_INTERVAL_MS;
    const stale = await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    expect(stale.errcode).toBe(40085);
    const fresh = await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: second });
    expect(fresh.suite_access_token).toEqual(expect.any(String));
  });

  it('are pushed on demand by the control API', async () => {
    const { suite_ticket } = await control('provider/push-ticket');
    expect(await ticket()).toBe(suite_ticket);
  });
});

describe('get_suite_token', () => {
  it('answers success without errcode, as WeCom does', async () => {
    const answer = await call('service/get_suite_token', {
      ...suiteCredentials,
      suite_ticket: await ticket(),
    });
    expect(answer).not.toHaveProperty('errcode');
    expect(answer).toEqual({ suite_access_token: expect.any(String), expires_in: TTL_SECONDS });
  });

  it.each([
    ['an unknown suite id', { suite_id: 'wwnotmysuite' }, 40083],
    ['a wrong secret', { suite_secret: 'wrong' }, 40080],
    ['a ticket never pushed', { suite_ticket: 'never-pushed' }, 40085],
    ['no ticket', { suite_ticket: undefined }, 41023],
    ['no suite id', { suite_id: undefined }, 41021],
  ])('refuses %s with %s', async (_, change, errcode) => {
    const body = { ...suiteCredentials, suite_ticket: await ticket(), ...change };
    expect((await call('service/get_suite_token', body)).errcode).toBe(errcode);
  });
});

describe('suite tokens', () => {
  it('are required by suite operations: 41022 missing, 40082 other kind or revoked, 42009 expired', async () => {
    const body = { auth_corpid: 'x', permanent_code: 'y' };
    expect((await call('service/get_auth_info', body)).errcode).toBe(41022);
    const access = await get('gettoken', { corpid: t.sandbox.corpId, corpsecret: t.sandbox.corpSecret });
    expect(
      (await call('service/get_auth_info', body, { suite_access_token: String(access.access_token) }))
        .errcode,
    ).toBe(40082);
    const token = await suiteToken();
    await control('revoke-tokens', { kind: 'suite' });
    expect((await call('service/get_auth_info', body, { suite_access_token: token })).errcode).toBe(40082);
    const renewed = await suiteToken();
    expect(renewed).not.toBe(token);
    t.clock += TTL_SECONDS * 1000;
    expect((await call('service/get_auth_info', body, { suite_access_token: renewed })).errcode).toBe(42009);
  });

  it('are refused by customer-contact operations with 40014', async () => {
    const answer = await get('externalcontact/list', {
      access_token: await suiteToken(),
      userid: 'member0001',
    });
    expect(answer.errcode).toBe(40014);
  });
});

describe('provider token and provider-level operations', () => {
  const providerCredentials = {
    corpid: PROVIDER_DEFAULTS.providerCorpId,
    provider_secret: PROVIDER_DEFAULTS.providerSecret,
  };
  const providerToken = async () =>
    String((await call('service/get_provider_token', providerCredentials)).provider_access_token);

  it('get_provider_token answers without errcode; 40013 / 40001 for wrong credentials', async () => {
    expect(await call('service/get_provider_token', providerCredentials)).toEqual({
      provider_access_token: expect.any(String),
      expires_in: TTL_SECONDS,
    });
    expect(
      (await call('service/get_provider_token', { ...providerCredentials, corpid: 'wwother' })).errcode,
    ).toBe(40013);
    expect(
      (await call('service/get_provider_token', { ...providerCredentials, provider_secret: 'x' })).errcode,
    ).toBe(40001);
  });

  it('corpid_to_opencorpid converts an authorized corp (48001 before authorization, 40013 for an unknown one)', async () => {
    const token = await providerToken();
    const plain = world().corps[0]?.corpId as string;
    expect(
      (await call('service/corpid_to_opencorpid', { corpid: plain }, { provider_access_token: token }))
        .errcode,
    ).toBe(48001);
    const { corpid } = await authorize(0);
    expect(
      await call('service/corpid_to_opencorpid', { corpid: plain }, { provider_access_token: token }),
    ).toMatchObject({
      errcode: 0,
      open_corpid: corpid,
    });
    expect(
      (await call('service/corpid_to_opencorpid', { corpid: 'wwunknown' }, { provider_access_token: token }))
        .errcode,
    ).toBe(40013);
  });

  it('finish_external_userid_migration takes the provider token only and marks the corp migrated', async () => {
    const { corpid } = await authorize(1);
    const path = 'service/externalcontact/finish_external_userid_migration';
    expect((await call(path, { corpid }, { provider_access_token: await suiteToken() })).errcode).toBe(40014);
    expect(
      (
        await call(
          path,
          { corpid: world().corps[0]?.corpId },
          { provider_access_token: await providerToken() },
        )
      ).errcode,
    ).toBe(48004);
    expect((await call(path, { corpid }, { provider_access_token: await providerToken() })).errcode).toBe(0);
    const overview = (await (await fetch(`${t.sandbox.url}/__sandbox/provider`)).json()) as {
      corps: { migrated: boolean }[];
    };
    expect(overview.corps.map((corp) => corp.migrated)).toEqual([false, true]);
  });

  it('unionid_to_external_userid_3rd finds the user in every authorized corp, each under that corp id', async () => {
    const a = await authorize(0);
    const b = await authorize(1);
    const [corpA, corpB] = world().corps;
    const shared = corpA?.state.people.customers.find(
      (customer) =>
        customer.unionid && corpB?.state.people.customers.some((other) => other.unionid === customer.unionid),
    );
    expect(shared?.unionid).toBeDefined();
    const token = await suiteToken();
    const path = 'service/externalcontact/unionid_to_external_userid_3rd';
    const both = await call(
      path,
      { unionid: shared?.unionid, openid: 'oProviderMiniProgram' },
      { suite_access_token: token },
    );
    const corps = (both.external_userid_info as { corpid: string; external_userid: string }[]).map(
      (entry) => entry.corpid,
    );
    expect(new Set(corps)).toEqual(new Set([a.corpid, b.corpid]));
    expect(both.external_userid_info).toContainEqual({
      corpid: a.corpid,
      external_userid: shared?.external_userid,
    });
    const onlyB = await call(
      path,
      { unionid: shared?.unionid, openid: 'o', corpid: b.corpid },
      { suite_access_token: token },
    );
    expect(
      (onlyB.external_userid_info as { corpid: string }[]).every((entry) => entry.corpid === b.corpid),
    ).toBe(true);
    expect((await call(path, { unionid: 'u', openid: 'o' })).errcode).toBe(41022);
  });
});

describe('the provider mode', () => {
  it("declares each service operation's token exactly as the spec's security does", () => {
    const spec = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('@wecom-kit/spec/dist/openapi.json'), 'utf8'),
    ) as {
      paths: Record<string, Record<string, { operationId: string; security?: Record<string, unknown>[] }>>;
    };
    const declared: Record<string, string> = {};
    for (const item of Object.values(spec.paths)) {
      for (const operation of Object.values(item)) {
        const scheme = operation.security?.flatMap((requirement) => Object.keys(requirement));
        if (scheme?.length === 0) declared[operation.operationId] = 'none';
        if (scheme?.[0] === 'suiteAccessToken') declared[operation.operationId] = 'suite';
        if (scheme?.[0] === 'providerAccessToken') declared[operation.operationId] = 'provider';
      }
    }
    delete declared.getToken;
    expect(declared).toEqual(serviceOperations);
  });

  it('counts API calls by token kind in /__sandbox/stats', async () => {
    const { corpid, permanentCode } = await authorize(0);
    await customersOf(await corpToken(corpid, permanentCode));
    const stats = (await (await fetch(`${t.sandbox.url}/__sandbox/stats`)).json()) as {
      tokenKinds: Record<string, number>;
    };
    expect(stats.tokenKinds).toMatchObject({ none: expect.any(Number), suite: expect.any(Number), corp: 1 });
  });

  it('limits suite operations like other APIs (45009), but not the token fetches', async () => {
    const limited = await startCheckedSandbox({ scale: 50, rateLimitPerMinute: 2, provider: {} });
    try {
      const post = async (path: string, body: unknown, query = '') =>
        (await (
          await fetch(`${limited.url}/cgi-bin/service/${path}?${query}`, {
            method: 'POST',
            body: JSON.stringify(body),
          })
        ).json()) as Body;
      const { suite_ticket } = (await (
        await fetch(`${limited.url}/__sandbox/provider/push-ticket`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as Body;
      const fetches = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        fetches.push(await post('get_suite_token', { ...suiteCredentials, suite_ticket }));
      }
      expect(fetches.every((answer) => typeof answer.suite_access_token === 'string')).toBe(true);
      const token = `suite_access_token=${fetches[0]?.suite_access_token}`;
      const body = { auth_corpid: 'x', permanent_code: 'y' };
      const codes = [];
      for (let attempt = 0; attempt < 3; attempt++)
        codes.push((await post('get_auth_info', body, token)).errcode);
      expect(codes).toEqual([40084, 40084, 45009]);
    } finally {
      await limited.close();
    }
  });

  it('refuses bad provider options before starting', async () => {
    await expect(startSandbox({ port: 0, provider: { corps: 0 } })).rejects.toThrow(
      'provider.corps must be a whole number from 1 to 20',
    );
    await expect(startSandbox({ port: 0, provider: { suiteId: '' } })).rejects.toThrow('provider.suiteId');
  });

  it('without provider options, answers the service endpoints as for unknown credentials', async () => {
    const plain = await startCheckedSandbox({ scale: 50 });
    try {
      const post = async (path: string, body: unknown) =>
        (await (
          await fetch(`${plain.url}/cgi-bin/service/${path}`, { method: 'POST', body: JSON.stringify(body) })
        ).json()) as Body;
      expect(
        (await post('get_suite_token', { suite_id: 'a', suite_secret: 'b', suite_ticket: 'c' })).errcode,
      ).toBe(40083);
      expect((await post('get_provider_token', { corpid: 'a', provider_secret: 'b' })).errcode).toBe(40013);
      expect((await post('get_corp_token', { auth_corpid: 'a', permanent_code: 'b' })).errcode).toBe(41022);
      expect((await post('corpid_to_opencorpid', { corpid: 'a' })).errcode).toBe(41001);
      const routes = await fetch(`${plain.url}/__sandbox/provider`);
      expect(((await routes.json()) as Body).errmsg).toContain('without the provider mode');
      expect(plain.provider).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
