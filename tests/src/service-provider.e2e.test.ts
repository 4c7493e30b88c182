import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSharedResources,
  createSuite,
  createWecomClient,
  customizedApp,
  MemorySuiteTicketStore,
  type SharedResources,
  type Suite,
  serviceProvider,
  WecomConfigError,
  type WecomEvent,
} from '@wecom-kit/client';
import { type Clock, systemClock } from '@wecom-kit/core';
import { createCallbackHandler } from '@wecom-kit/core/callbacks';
import { PROVIDER_DEFAULTS, type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRequest } from './support/node-request';

// A service provider end to end over real HTTP: the sandbox plays WeCom in provider mode and
// pushes suite tickets and authorization callbacks to the provider's command URL, where
// createCallbackHandler stores each ticket; a suite object gives one suite token to the clients of
// every authorizing corp. Token calls are counted by the sandbox (stats.calls per path).

const COMMAND = { token: 'e2eCommandToken', encodingAESKey: 'Zk3p9QmR7tW2yX5vB8nC1dF4gH6jK0lL3zA9sD2fG5h' };
const { suiteId, suiteSecret, providerCorpId, providerSecret } = PROVIDER_DEFAULTS;

/** Time both sides read: moving `offsetMs` moves WeCom's and the client's clock together. */
let offsetMs = 0;
const clock: Clock = { now: () => Date.now() + offsetMs, setTimer: systemClock.setTimer };

const tickets = new MemorySuiteTicketStore(clock);
const commands: { infoType: string; corp?: string }[] = [];
const events: WecomEvent[] = [];
const thrown: unknown[] = [];
let app: Server;
let sandbox: Sandbox;
let shared: SharedResources;
let suite: Suite;

beforeAll(async () => {
  const handle = createCallbackHandler({
    ...COMMAND,
    suiteId,
    suiteTickets: tickets,
    on: {
      createAuth: () => void commands.push({ infoType: 'create_auth' }),
      cancelAuth: ({ AuthCorpId }) => void commands.push({ infoType: 'cancel_auth', corp: AuthCorpId }),
    },
  });
  app = createServer(async (request, response) => {
    const answer = await handle(await toRequest(request));
    response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const { port } = app.address() as AddressInfo;
  sandbox = await startSandbox({
    port: 0,
    scale: 200,
    now: clock.now,
    provider: { corps: 2, commandCallback: { url: `http://127.0.0.1:${port}/wecom/command`, ...COMMAND } },
  });
  shared = createSharedResources({ clock, onEvent: (event) => void events.push(event) });
  suite = createSuite({ suiteId, suiteSecret, tickets, baseUrl: sandbox.url, shared });
  await ticketArrives();
}, 60_000);

/** Waits for the ticket the sandbox pushes at start (and after a reset) to reach the command URL. */
async function ticketArrives(): Promise<void> {
  for (let waited = 0; !(await tickets.get(suiteId)); waited += 10) {
    if (waited > 10_000) throw new Error('no suite_ticket reached the command URL');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

afterAll(async () => {
  await sandbox?.close();
  app?.closeAllConnections();
  await new Promise((resolve) => app?.close(resolve));
});

async function control(route: string, body: object = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.url}/__sandbox/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** How often each token endpoint was called so far. */
async function tokenCalls(): Promise<Record<'suite' | 'corp' | 'provider' | 'gettoken', number>> {
  const { calls } = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
    calls: Record<string, number>;
  };
  return {
    suite: calls['/cgi-bin/service/get_suite_token'] ?? 0,
    corp: calls['/cgi-bin/service/get_corp_token'] ?? 0,
    provider: calls['/cgi-bin/service/get_provider_token'] ?? 0,
    gettoken: calls['/cgi-bin/gettoken'] ?? 0,
  };
}

const suiteClient = () => createWecomClient({ auth: suite, baseUrl: sandbox.url, shared });

/** Installs the suite (or a customized app) in the sandbox's next corp and exchanges the auth code. */
async function authorize(appType: 'third_party' | 'customized') {
  const { auth_code } = (await control('provider/authorize', { appType })) as { auth_code: string };
  const answer = await suiteClient().call('getPermanentCode', { auth_code });
  thrown.push(answer.permanent_code);
  return { authCorpId: answer.auth_corp_info.corpid, permanentCode: answer.permanent_code };
}

async function customersOf(client: ReturnType<typeof createWecomClient>): Promise<string[]> {
  const { follow_user = [] } = await client.call('getFollowUserList');
  const lists = await Promise.all(
    follow_user.map((userid) => client.call('listExternalContacts', { userid })),
  );
  return lists.flatMap(({ external_userid = [] }) => external_userid);
}

describe('third-party app: ticket → suite token → corp token, for two corps', () => {
  const corps: { authCorpId: string; permanentCode: string }[] = [];
  const corpClient = (index: number) =>
    createWecomClient({ auth: suite.corp(corps[index] as (typeof corps)[0]), baseUrl: sandbox.url, shared });

  it('lists each corp its own customers, with one suite token and one corp token each', async () => {
    const before = await tokenCalls();
    corps.push(await authorize('third_party'), await authorize('third_party'));
    const [a, b] = await Promise.all([customersOf(corpClient(0)), customersOf(corpClient(1))]);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    const after = await tokenCalls();
    expect(after.suite - before.suite).toBe(1);
    expect(after.corp - before.corp).toBe(2);
    expect(commands.filter(({ infoType }) => infoType === 'create_auth')).toHaveLength(2);
  });

  it('a revoked corp token is fetched again once for 100 concurrent calls; the suite token stays', async () => {
    const client = corpClient(0);
    await client.call('getFollowUserList');
    await control('revoke-tokens', { kind: 'corp' });
    const before = await tokenCalls();
    await Promise.all(Array.from({ length: 100 }, () => client.call('getFollowUserList')));
    const after = await tokenCalls();
    expect(after.corp - before.corp).toBe(1);
    expect(after.suite - before.suite).toBe(0);
  });

  it('a revoked suite token is fetched again once for 100 concurrent calls', async () => {
    const client = suiteClient();
    await client.call('getAuthInfo', {
      auth_corpid: corps[0]?.authCorpId ?? '',
      permanent_code: corps[0]?.permanentCode ?? '',
    });
    await control('revoke-tokens', { kind: 'suite' });
    const before = await tokenCalls();
    await Promise.all(
      Array.from({ length: 100 }, () =>
        client.call('getAuthInfo', {
          auth_corpid: corps[0]?.authCorpId ?? '',
          permanent_code: corps[0]?.permanentCode ?? '',
        }),
      ),
    );
    expect((await tokenCalls()).suite - before.suite).toBe(1);
  });

  it('after both expire, 100 concurrent calls fetch one suite token and one corp token', async () => {
    const client = corpClient(1);
    await client.call('getFollowUserList');
    offsetMs += 2 * 3600_000 + 60_000;
    // The ticket stored two hours ago is no longer accepted: the command URL receives a new one.
    const { suite_ticket } = (await control('provider/push-ticket')) as { suite_ticket: string };
    await expect.poll(() => tickets.get(suiteId)).toBe(suite_ticket);
    const before = await tokenCalls();
    await Promise.all(Array.from({ length: 100 }, () => client.call('getFollowUserList')));
    const after = await tokenCalls();
    expect(after.suite - before.suite).toBe(1);
    expect(after.corp - before.corp).toBe(1);
  });

  it('a cancelled corp reaches the cancel_auth handler, and its permanent code stops working', async () => {
    const cancelled = corps[1] as (typeof corps)[0];
    await control('provider/cancel', { corp: cancelled.authCorpId });
    await expect
      .poll(() =>
        commands.some(({ infoType, corp }) => infoType === 'cancel_auth' && corp === cancelled.authCorpId),
      )
      .toBe(true);
    const fresh = createWecomClient({
      auth: suite.corp(cancelled),
      baseUrl: sandbox.url,
      shared: createSharedResources({ clock }),
    });
    const error = await fresh.call('getFollowUserList').catch((caught: unknown) => caught);
    thrown.push(error);
    expect(error).toBeInstanceOf(WecomConfigError);
    expect((error as Error).message).toMatch(/40084.*cancel_auth/);
  });
});

describe('customized app and provider token', () => {
  it('a customized app (代开发) gets its corp token from gettoken with the permanent code', async () => {
    await control('reset');
    await ticketArrives();
    const corp = await authorize('customized');
    const before = await tokenCalls();
    const client = createWecomClient({
      auth: customizedApp({ corpId: corp.authCorpId, permanentCode: corp.permanentCode }),
      baseUrl: sandbox.url,
      shared,
    });
    expect((await customersOf(client)).length).toBeGreaterThan(0);
    const after = await tokenCalls();
    expect(after.gettoken - before.gettoken).toBe(1);
    expect(after.corp - before.corp).toBe(0);
  });

  it('finishes the external_userid migration with the provider token; a corp client is refused before sending', async () => {
    const { auth_corpid } = (await control('provider/authorize', { appType: 'third_party' })) as {
      auth_corpid: string;
    };
    const provider = createWecomClient({
      auth: serviceProvider({ corpId: providerCorpId, providerSecret }),
      baseUrl: sandbox.url,
      shared,
    });
    const before = await tokenCalls();
    await provider.call('finishExternalUseridMigration', { corpid: auth_corpid });
    expect((await tokenCalls()).provider - before.provider).toBe(1);
    const corpClient = createWecomClient({
      corpId: sandbox.corpId,
      corpSecret: sandbox.corpSecret,
      baseUrl: sandbox.url,
    });
    const refused = await corpClient
      .call('finishExternalUseridMigration', { corpid: auth_corpid })
      .catch((caught: unknown) => caught);
    thrown.push(refused);
    expect(refused).toBeInstanceOf(WecomConfigError);
    expect((refused as Error).message).toMatch(/provider_access_token.*serviceProvider/);
  });
});

describe('redaction audit', () => {
  it('no secret, ticket, permanent code or token appears in an event or an error', async () => {
    const secrets = [
      suiteSecret,
      providerSecret,
      sandbox.corpSecret,
      (await tickets.get(suiteId)) ?? 'no ticket',
      await suite.tokens.getToken(),
      ...thrown.filter((value): value is string => typeof value === 'string'),
    ];
    const errors = thrown.filter((value) => typeof value !== 'string');
    expect(errors.length).toBeGreaterThan(1);
    const seen =
      JSON.stringify(events) + errors.map((error) => `${String(error)} ${(error as Error).stack}`).join('\n');
    for (const secret of secrets) expect(seen).not.toContain(secret);
  });
});
