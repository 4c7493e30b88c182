import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PROVIDER_DEFAULTS } from './provider/options';
import { TTL_SECONDS, useProviderSandbox } from './testing/provider-fixture';

// The provider mode's authorizing corps: authorization, isolation, cancel, customized apps, command callbacks.
const t = useProviderSandbox();
const { world, call, get, control, suiteToken, authorize, corpToken, customersOf } = t;

/** A suite operation that proves a corp by auth_corpid + permanent_code. */
const proving = async (operation: string, corpid: string, permanentCode: string) =>
  call(
    `service/${operation}`,
    { auth_corpid: corpid, permanent_code: permanentCode },
    { suite_access_token: await suiteToken() },
  );

describe('authorizing corps', () => {
  it('authorize with create_auth, whose code get_permanent_code exchanges once', async () => {
    const { auth_code, auth_corpid } = await control('provider/authorize', { corp: 0, state: 'from-test' });
    await world().idle();
    const created = t.receiver.commands.find(({ message }) => message.InfoType === 'create_auth');
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
    t.clock += 10 * 60_000;
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
    const selfBuilt = await get('gettoken', { corpid: t.sandbox.corpId, corpsecret: t.sandbox.corpSecret });
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
    const info = await proving('get_auth_info', corpid, permanentCode);
    expect(info).toMatchObject({
      errcode: 0,
      auth_corp_info: { corpid },
      auth_info: { agent: [{ is_customized_app: false }] },
    });
    const wrong = await proving('get_auth_info', corpid, 'wrong');
    expect(wrong.errcode).toBe(40084);
  });

  it('get_corp_token answers without errcode, and 40084 for a wrong code', async () => {
    const { corpid, permanentCode } = await authorize(0);
    const ok = await proving('get_corp_token', corpid, permanentCode);
    expect(ok).toEqual({ access_token: expect.any(String), expires_in: TTL_SECONDS });
    const wrong = await proving('get_corp_token', corpid, 'nope');
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
    t.clock += TTL_SECONDS * 1000;
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
    const cancelled = t.receiver.commands.find(({ message }) => message.InfoType === 'cancel_auth');
    expect(cancelled?.message).toMatchObject({ AuthCorpId: a.corpid, SuiteId: PROVIDER_DEFAULTS.suiteId });
    expect((await get('externalcontact/list', { access_token: tokenA, userid: 'member0001' })).errcode).toBe(
      40014,
    );
    const refused = await proving('get_corp_token', a.corpid, a.permanentCode);
    expect(refused.errcode).toBe(40084);
    expect((await customersOf(tokenB))?.length).toBeGreaterThan(0);
  });

  it('change pushes change_auth naming the corp', async () => {
    const { corpid } = await authorize(1);
    await control('provider/change', { corp: 1 });
    await world().idle();
    expect(t.receiver.commands.map(({ message }) => message)).toContainEqual(
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
    const viaSuite = await proving('get_corp_token', corpid, permanentCode);
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
    expect(t.receiver.commands.map(({ message }) => message)).toContainEqual(
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
    const kinds = new Set(t.receiver.commands.map(({ message }) => String(message.InfoType)));
    expect(kinds).toEqual(
      new Set(['suite_ticket', 'create_auth', 'change_auth', 'cancel_auth', 'reset_permanent_code']),
    );
    for (const { message } of t.receiver.commands) {
      const validate = schemaByInfoType.get(String(message.InfoType));
      // core's parser converts the integer fields of customer-contact events; TimeStamp is the
      // command callbacks' own, converted here until core parses command callbacks (s25-19r).
      const decoded = { ...message, TimeStamp: Number(message.TimeStamp) };
      expect(validate?.(decoded), `${message.InfoType}: ${ajv.errorsText(validate?.errors)}`).toBe(true);
    }
  });
});
