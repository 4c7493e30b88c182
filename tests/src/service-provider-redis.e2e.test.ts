import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSharedResources, createSuite, createWecomClient } from '@wecom-kit/client';
import { createCallbackHandler } from '@wecom-kit/core/callbacks';
import { createRedisSuiteTicketStore, createRedisTokenStore } from '@wecom-kit/core/redis';
import { PROVIDER_DEFAULTS, type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Three processes of one provider share a real Redis: one receives the command callbacks, two
// call WeCom. The ticket the first stores is what the others' suite reads, and the two callers
// use one suite token and one corp token between them.

const COMMAND = { token: 'redisCommandToken', encodingAESKey: 'Pq2wE4rT6yU8iO0pA1sD3fG5hJ7kL9zX2cV4bN6mQ8w' };
const { suiteId, suiteSecret } = PROVIDER_DEFAULTS;
let redis: ChildProcess;
let redisUrl = '';
let app: Server;
let sandbox: Sandbox;
let received: ReturnType<typeof createRedisSuiteTicketStore>;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function body(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

const receiverTickets = () => createRedisSuiteTicketStore({ url: redisUrl, keyPrefix: 'e2e:' });

beforeAll(async () => {
  const port = await freePort();
  redis = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await new Promise<void>((resolve, reject) => {
    redis.once('error', reject);
    redis.stdout?.on('data', (chunk: Buffer) => String(chunk).includes('Ready to accept') && resolve());
  });
  redisUrl = `redis://127.0.0.1:${port}`;
  received = receiverTickets();
  const handle = createCallbackHandler({ ...COMMAND, suiteId, suiteTickets: received, on: {} });
  app = createServer(async (request, response) => {
    const init = {
      method: request.method,
      body: request.method === 'POST' ? await body(request) : undefined,
    };
    const answer = await handle(new Request(`http://127.0.0.1${request.url}`, init));
    response.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const { port: appPort } = app.address() as AddressInfo;
  sandbox = await startSandbox({
    port: 0,
    scale: 200,
    provider: { corps: 1, commandCallback: { url: `http://127.0.0.1:${appPort}/command`, ...COMMAND } },
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await received?.close();
  app?.closeAllConnections();
  await new Promise((resolve) => app?.close(resolve));
  redis?.kill('SIGTERM');
});

it('callers in two processes share the ticket, one suite token and one corp token through Redis', async () => {
  const callers = [1, 2].map(() => {
    const tickets = receiverTickets();
    const tokenStore = createRedisTokenStore({ url: redisUrl, keyPrefix: 'e2e:' });
    const shared = createSharedResources({ tokenStore });
    return {
      tickets,
      tokenStore,
      shared,
      suite: createSuite({ suiteId, suiteSecret, tickets, shared, baseUrl: sandbox.url }),
    };
  });
  const [first, second] = callers as [(typeof callers)[0], (typeof callers)[0]];
  // The ticket the sandbox pushed at start reached the receiving process, and through Redis the callers.
  await expect.poll(() => second.tickets.get(suiteId), { timeout: 10_000 }).toBeTypeOf('string');

  const { auth_code } = (await (
    await fetch(`${sandbox.url}/__sandbox/provider/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { auth_code: string };
  const asSuite = createWecomClient({ auth: first.suite, shared: first.shared, baseUrl: sandbox.url });
  const { permanent_code, auth_corp_info } = await asSuite.call('getPermanentCode', { auth_code });
  const corp = { authCorpId: auth_corp_info.corpid, permanentCode: permanent_code };

  const clients = callers.map(({ suite, shared }) =>
    createWecomClient({ auth: suite.corp(corp), shared, baseUrl: sandbox.url }),
  );
  await Promise.all(Array.from({ length: 40 }, (_, i) => clients[i % 2]?.call('getFollowUserList')));
  const { calls } = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
    calls: Record<string, number>;
  };
  expect(calls['/cgi-bin/service/get_suite_token']).toBe(1);
  expect(calls['/cgi-bin/service/get_corp_token']).toBe(1);
  await Promise.all(callers.flatMap(({ tickets, tokenStore }) => [tickets.close(), tokenStore.close()]));
});
