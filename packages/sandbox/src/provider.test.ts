import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serviceOperations } from './provider/operations';
import { PROVIDER_DEFAULTS } from './provider/options';
import { TICKET_INTERVAL_MS, TICKET_LIFETIME_MS } from './provider/tickets';
import { type Sandbox, startSandbox } from './server';
import { type CommandReceiver, startCommandReceiver } from './testing/command-receiver';
import { startCheckedSandbox } from './testing/fidelity';
import { CALLBACK_AES_KEY, CALLBACK_TOKEN } from './testing/receiver';

type Body = Record<string, unknown> & { errcode?: number; errmsg?: string };

const TTL_SECONDS = 7200;
let clock = Date.now();
let sandbox: Sandbox;
let receiver: CommandReceiver;

beforeAll(async () => {
  receiver = await startCommandReceiver();
  sandbox = await startCheckedSandbox({
    scale: 200,
    tokenTtl: TTL_SECONDS,
    now: () => clock,
    provider: {
      corps: 2,
      commandCallback: { url: receiver.url, token: CALLBACK_TOKEN, encodingAESKey: CALLBACK_AES_KEY },
    },
  });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(async () => {
  clock = Date.now();
  await world().idle();
  receiver.commands.length = 0;
  latestTicket = undefined;
  sandbox.reset(); // pushes the first suite ticket again
  await world().idle();
});

const world = () => {
  const provider = sandbox.provider;
  if (!provider) throw new Error('the sandbox runs in provider mode');
  return provider;
};

async function call(path: string, body: unknown, query: Record<string, string> = {}): Promise<Body> {
  const response = await fetch(`${sandbox.url}/cgi-bin/${path}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Body;
}

async function get(path: string, query: Record<string, string>): Promise<Body> {
  return (
    await fetch(`${sandbox.url}/cgi-bin/${path}?${new URLSearchParams(query)}`)
  ).json() as Promise<Body>;
}

async function control(route: string, body: unknown = {}): Promise<Body> {
  const response = await fetch(`${sandbox.url}/__sandbox/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Body;
}

let latestTicket: string | undefined;
/** The newest suite_ticket the command URL received. */
async function ticket(): Promise<string> {
  await world().idle();
  const pushed = receiver.commands.filter(({ message }) => message.InfoType === 'suite_ticket');
  latestTicket = String(pushed.at(-1)?.message.SuiteTicket ?? latestTicket);
  return latestTicket;
}

const suiteCredentials = { suite_id: PROVIDER_DEFAULTS.suiteId, suite_secret: PROVIDER_DEFAULTS.suiteSecret };

async function suiteToken(): Promise<string> {
  const answer = await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: await ticket() });
  return String(answer.suite_access_token);
}

/** Authorizes corp `index` and exchanges the code: its open corp id and permanent code. */
async function authorize(index: number, appType = 'third_party') {
  const { auth_code, auth_corpid } = await control('provider/authorize', { corp: index, appType });
  const answer = await call(
    'service/get_permanent_code',
    { auth_code },
    { suite_access_token: await suiteToken() },
  );
  expect(answer.errcode).toBe(0);
  return { corpid: String(auth_corpid), permanentCode: String(answer.permanent_code), answer };
}

async function corpToken(corpid: string, permanentCode: string): Promise<string> {
  const answer = await call(
    'service/get_corp_token',
    { auth_corpid: corpid, permanent_code: permanentCode },
    { suite_access_token: await suiteToken() },
  );
  return String(answer.access_token);
}

const customersOf = async (accessToken: string) =>
  (await get('externalcontact/list', { access_token: accessToken, userid: 'member0001' })).external_userid as
    | string[]
    | undefined;

describe('suite tickets', () => {
  it('are pushed to the command URL at start and every 10 minutes, sealed for the suite id', async () => {
    const first = await ticket();
    const [pushed] = receiver.commands;
    expect(receiver.badSignatures).toBe(0);
    expect(pushed?.receiveId).toBe(PROVIDER_DEFAULTS.suiteId);
    expect(pushed?.envelope.ToUserName).toBe(PROVIDER_DEFAULTS.suiteId);
    expect(pushed?.message).toMatchObject({ SuiteId: PROVIDER_DEFAULTS.suiteId, InfoType: 'suite_ticket' });

    clock += TICKET_INTERVAL_MS - 1_000;
    await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    expect(await ticket()).toBe(first);
    clock += 1_000;
    await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    const second = await ticket();
    expect(second).not.toBe(first);
  });

  it('stay valid for 30 minutes after their push, then get 40085', async () => {
    const first = await ticket();
    clock += TICKET_INTERVAL_MS;
    await call('service/get_suite_token', { ...suiteCredentials, suite_ticket: first });
    const second = await ticket();
    clock += TICKET_LIFETIME_MS - TICKET_INTERVAL_MS;
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
    const access = await get('gettoken', { corpid: sandbox.corpId, corpsecret: sandbox.corpSecret });
    expect(
      (await call('service/get_auth_info', body, { suite_access_token: String(access.access_token) }))
        .errcode,
    ).toBe(40082);
    const token = await suiteToken();
    await control('revoke-tokens', { kind: 'suite' });
    expect((await call('service/get_auth_info', body, { suite_access_token: token })).errcode).toBe(40082);
    const renewed = await suiteToken();
    expect(renewed).not.toBe(token);
    clock += TTL_SECONDS * 1000;
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

describe('authorizing corps', () => {
  it('authorize with create_auth, whose code get_permanent_code exchanges once', async () => {
    const { auth_code, auth_corpid } = await control('provider/authorize', { corp: 0, state: 'from-test' });
    await world().idle();
    const created = receiver.commands.find(({ message }) => message.InfoType === 'create_auth');
    expect(created?.message).toMatchObject({
      AuthCode: auth_code,
      State: 'from-test',
      SuiteId: PROVIDER_DEFAULTS.suiteId,
    });
    expect(created?.receiveId).toBe(PROVIDER_DEFAULTS.suiteId);

    const token = await suiteToken();
    const answer = await call('service/get_permanent_code', { auth_code }, { suite_access_token: token });
    expect(answer).toMatchObject({
      errcode: 0,
      permanent_code: expect.any(String),
      state: 'from-test',
      auth_corp_info: { corpid: auth_corpid, corp_name: world().corps[0]?.name },
    });
    expect(auth_corpid).toBe(world().corps[0]?.openCorpId);
    expect(String(auth_corpid)).toMatch(/^wp/);
    const again = await call('service/get_permanent_code', { auth_code }, { suite_access_token: token });
    expect(again.errcode).toBe(40078);
  });

  it('expire their temporary code after 10 minutes', async () => {
    const { auth_code } = await control('provider/authorize', { corp: 0 });
    clock += 10 * 60_000;
    const answer = await call(
      'service/get_permanent_code',
      { auth_code },
      { suite_access_token: await suiteToken() },
    );
    expect(answer.errcode).toBe(40078);
  });

  it('each see only their own customers, and the self-built corp keeps its own', async () => {
    const a = await authorize(0);
    const b = await authorize(1);
    const tokenA = await corpToken(a.corpid, a.permanentCode);
    const tokenB = await corpToken(b.corpid, b.permanentCode);
    const selfBuilt = await get('gettoken', { corpid: sandbox.corpId, corpsecret: sandbox.corpSecret });
    const ofA = (await customersOf(tokenA)) ?? [];
    const ofB = (await customersOf(tokenB)) ?? [];
    const ofSelf = (await customersOf(String(selfBuilt.access_token))) ?? [];
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofB.length).toBeGreaterThan(0);
    expect(ofA.every((id) => id.endsWith('C1SANDBOX'))).toBe(true);
    expect(ofB.every((id) => id.endsWith('C2SANDBOX'))).toBe(true);
    expect(ofSelf.every((id) => /^w[mo][0-9a-z]{8}SANDBOX$/.test(id))).toBe(true);
    // A customer of B is unknown to A's token.
    const crossed = await get('externalcontact/get', {
      access_token: tokenA,
      external_userid: ofB[0] as string,
    });
    expect(crossed.errcode).not.toBe(0);
    const own = await get('externalcontact/get', { access_token: tokenB, external_userid: ofB[0] as string });
    expect(own.errcode).toBe(0);
  });

  it('get_auth_info reads the authorization; a wrong permanent code gets 40084', async () => {
    const { corpid, permanentCode } = await authorize(0);
    const token = await suiteToken();
    const info = await call(
      'service/get_auth_info',
      { auth_corpid: corpid, permanent_code: permanentCode },
      { suite_access_token: token },
    );
    expect(info).toMatchObject({
      errcode: 0,
      auth_corp_info: { corpid },
      auth_info: { agent: [{ is_customized_app: false }] },
    });
    const wrong = await call(
      'service/get_auth_info',
      { auth_corpid: corpid, permanent_code: 'wrong' },
      { suite_access_token: token },
    );
    expect(wrong.errcode).toBe(40084);
  });

  it('get_corp_token answers without errcode, and 40084 for a wrong code', async () => {
    const { corpid, permanentCode } = await authorize(0);
    const token = await suiteToken();
    const ok = await call(
      'service/get_corp_token',
      { auth_corpid: corpid, permanent_code: permanentCode },
      { suite_access_token: token },
    );
    expect(ok).toEqual({ access_token: expect.any(String), expires_in: TTL_SECONDS });
    const wrong = await call(
      'service/get_corp_token',
      { auth_corpid: corpid, permanent_code: 'nope' },
      { suite_access_token: token },
    );
    expect(wrong.errcode).toBe(40084);
  });

  it('corp tokens expire after tokenTtl (42001) and are revoked by kind', async () => {
    const { corpid, permanentCode } = await authorize(0);
    const token = await corpToken(corpid, permanentCode);
    await control('revoke-tokens', { kind: 'corp' });
    expect((await get('externalcontact/list', { access_token: token, userid: 'member0001' })).errcode).toBe(
      40014,
    );
    const renewed = await corpToken(corpid, permanentCode);
    clock += TTL_SECONDS * 1000;
    expect((await get('externalcontact/list', { access_token: renewed, userid: 'member0001' })).errcode).toBe(
      42001,
    );
  });

  it('cancel: cancel_auth is pushed, the corp token and permanent code stop working, the other corp is untouched', async () => {
    const a = await authorize(0);
    const b = await authorize(1);
    const tokenA = await corpToken(a.corpid, a.permanentCode);
    const tokenB = await corpToken(b.corpid, b.permanentCode);
    await control('provider/cancel', { corp: a.corpid });
    await world().idle();
    const cancelled = receiver.commands.find(({ message }) => message.InfoType === 'cancel_auth');
    expect(cancelled?.message).toMatchObject({ AuthCorpId: a.corpid, SuiteId: PROVIDER_DEFAULTS.suiteId });
    expect((await get('externalcontact/list', { access_token: tokenA, userid: 'member0001' })).errcode).toBe(
      40014,
    );
    const refused = await call(
      'service/get_corp_token',
      { auth_corpid: a.corpid, permanent_code: a.permanentCode },
      { suite_access_token: await suiteToken() },
    );
    expect(refused.errcode).toBe(40084);
    expect((await customersOf(tokenB))?.length).toBeGreaterThan(0);
  });

  it('change pushes change_auth naming the corp', async () => {
    const { corpid } = await authorize(1);
    await control('provider/change', { corp: 1 });
    await world().idle();
    expect(receiver.commands.map(({ message }) => message)).toContainEqual(
      expect.objectContaining({ InfoType: 'change_auth', AuthCorpId: corpid }),
    );
  });

  it('control errors name the problem: unknown corp, double authorization, nothing to cancel', async () => {
    expect(await control('provider/authorize', { corp: 7 })).toMatchObject({
      errcode: 40058,
      errmsg: expect.stringContaining('unknown corp'),
    });
    await control('provider/authorize', { corp: 0 });
    expect((await control('provider/authorize', { corp: 0 })).errmsg).toContain('authorized already');
    expect((await control('provider/cancel', { corp: 1 })).errmsg).toContain('has not authorized');
    expect((await control('provider/authorize', { corp: 1, appType: 'selfbuilt' })).errmsg).toContain(
      'appType',
    );
  });
});

describe('customized apps (代开发)', () => {
  it('get their corp token from gettoken with the permanent code; get_corp_token answers 48002', async () => {
    const { corpid, permanentCode } = await authorize(1, 'customized');
    const viaSuite = await call(
      'service/get_corp_token',
      { auth_corpid: corpid, permanent_code: permanentCode },
      { suite_access_token: await suiteToken() },
    );
    expect(viaSuite.errcode).toBe(48002);
    const issued = await get('gettoken', { corpid, corpsecret: permanentCode });
    expect(issued).toMatchObject({ errcode: 0, access_token: expect.any(String) });
    expect((await customersOf(String(issued.access_token)))?.every((id) => id.endsWith('C2SANDBOX'))).toBe(
      true,
    );
    expect((await get('gettoken', { corpid, corpsecret: 'wrong' })).errcode).toBe(40001);
  });

  it('reset-permanent-code pushes reset_permanent_code; the old code and its token stop, the new one works', async () => {
    const { corpid, permanentCode } = await authorize(0, 'customized');
    const old = await get('gettoken', { corpid, corpsecret: permanentCode });
    const { auth_code } = await control('provider/reset-permanent-code', { corp: 0 });
    await world().idle();
    expect(receiver.commands.map(({ message }) => message)).toContainEqual(
      expect.objectContaining({ InfoType: 'reset_permanent_code', AuthCode: auth_code }),
    );
    expect((await get('gettoken', { corpid, corpsecret: permanentCode })).errcode).toBe(40001);
    expect(
      (await get('externalcontact/list', { access_token: String(old.access_token), userid: 'member0001' }))
        .errcode,
    ).toBe(40014);
    const renewed = await call(
      'service/get_permanent_code',
      { auth_code },
      { suite_access_token: await suiteToken() },
    );
    expect(renewed.permanent_code).not.toBe(permanentCode);
    expect((await get('gettoken', { corpid, corpsecret: String(renewed.permanent_code) })).errcode).toBe(0);
  });

  it('third-party apps cannot have their secret reset', async () => {
    await authorize(0);
    expect((await control('provider/reset-permanent-code', { corp: 0 })).errmsg).toContain(
      'only customized apps',
    );
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
    const overview = (await (await fetch(`${sandbox.url}/__sandbox/provider`)).json()) as {
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

describe('command callbacks', () => {
  it('match their webhook schemas in the spec exactly', async () => {
    interface Webhook {
      post: {
        'x-wecom-callback-kind'?: string;
        requestBody: {
          content: Record<
            string,
            { schema: { $ref: string }; examples: Record<string, { value: { InfoType: string } }> }
          >;
        };
      };
    }
    const spec = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('@wecom-kit/spec/dist/openapi.json'), 'utf8'),
    ) as { webhooks: Record<string, Webhook> };
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ ...spec, $id: 'spec' });
    // Each command webhook's schema, by the InfoType its example carries.
    const schemaByInfoType = new Map<string, ValidateFunction>();
    for (const { post } of Object.values(spec.webhooks)) {
      if (post['x-wecom-callback-kind'] !== 'command') continue;
      const [body] = Object.values(post.requestBody.content);
      const infoType = Object.values(body?.examples ?? {})[0]?.value.InfoType;
      schemaByInfoType.set(
        String(infoType),
        ajv.compile({ $ref: `spec${body?.schema.$ref}`, unevaluatedProperties: false }),
      );
    }
    await control('provider/authorize', { corp: 0, state: 's1' });
    await control('provider/change', { corp: 0 });
    await control('provider/cancel', { corp: 0 });
    await control('provider/authorize', { corp: 1, appType: 'customized' });
    await control('provider/reset-permanent-code', { corp: 1 });
    await world().idle();
    const kinds = new Set(receiver.commands.map(({ message }) => String(message.InfoType)));
    expect(kinds).toEqual(
      new Set(['suite_ticket', 'create_auth', 'change_auth', 'cancel_auth', 'reset_permanent_code']),
    );
    for (const { message } of receiver.commands) {
      const validate = schemaByInfoType.get(String(message.InfoType));
      // core's parser converts the integer fields of customer-contact events; TimeStamp is the
      // command callbacks' own, converted here until core parses command callbacks (s25-19r).
      const decoded = { ...message, TimeStamp: Number(message.TimeStamp) };
      expect(validate?.(decoded), `${message.InfoType}: ${ajv.errorsText(validate?.errors)}`).toBe(true);
    }
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
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
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
