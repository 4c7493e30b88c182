// Many corps in one process: a client per corp over shared resources, as the guide's tenant
// registry does it. Measures memory with every corp active, and what stays once they go idle.
import { createSharedResources, createWecomClient, operations, type WecomClient } from '@wecom-kit/client';
import { type HttpSend, MemoryTokenStore, type QueuedLimiter } from '@wecom-kit/core';
import { ManualClock } from '@wecom-kit/core/internal';
import { reportResult, workerInput } from '../lib/processes';

interface Input {
  corps: number;
  operationsPerCorp: number;
}

export interface TenantsResult {
  corps: number;
  operationsPerCorp: number;
  calls: number;
  rssGrowthMB: number;
  heapActiveMB: number;
  heapRetainedMB: number;
  limiterKeysActive: number;
  limiterKeysAfterIdle: number;
  tokensHeld: number;
  cpuMicrosPerCall: number;
}

const { corps, operationsPerCorp } = workerInput<Input>();
const TOKEN_BODY = (corp: string) =>
  JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: `token-of-${corp}-0123456789`, expires_in: 7200 });
const BODY = JSON.stringify({ errcode: 0, errmsg: 'ok' });
// An in-memory HttpSend: the connection pool is shared by construction, and not what is measured here.
const send: HttpSend = async ({ url }) => {
  const corp = url.includes('/cgi-bin/gettoken') ? new URL(url).searchParams.get('corpid') : null;
  return { status: 200, text: corp ? TOKEN_BODY(corp) : BODY };
};
const operationIds = Object.keys(operations)
  .filter((operationId) => operationId !== 'getToken')
  .slice(0, operationsPerCorp);
const MB = 2 ** 20;
const gc = globalThis.gc as () => void;
const settle = async () => {
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
};

// The clock moves by hand, so that the idle window passes without waiting a minute.
const clock = new ManualClock(Date.now());
const tokenStore = new MemoryTokenStore(clock);
const shared = createSharedResources({ send, tokenStore, clock });
const limiter = shared.limiter as QueuedLimiter;
// The app's tenant registry: a client per corp, created on first use.
const registry = new Map<string, WecomClient>();
const clientFor = (corpId: string): WecomClient => {
  let client = registry.get(corpId);
  if (!client) {
    client = createWecomClient({
      corpId,
      corpSecret: `secret-of-${corpId}`,
      baseUrl: 'http://wecom.invalid',
      shared,
      // Inputs are not what is measured here; every operation gets the same empty one.
      validation: () => {},
    });
    registry.set(corpId, client);
  }
  return client;
};
const call = (client: WecomClient, operationId: string) =>
  (client.call as (operationId: string, input: unknown) => Promise<unknown>)(operationId, {});

await settle();
const before = process.memoryUsage();
const cpuBefore = process.cpuUsage();
for (let corp = 0; corp < corps; corp++) {
  const client = clientFor(`ww${String(corp).padStart(16, '0')}`);
  for (const operationId of operationIds) await call(client, operationId);
}
const cpu = process.cpuUsage(cpuBefore);
await settle();
const active = process.memoryUsage();
const limiterKeysActive = limiter.size;

// The corps go idle: the registry lets their clients go, and within two windows the limiter forgets them.
registry.clear();
// Two windows: the sweep runs once a window and forgets keys idle for at least a whole one.
await clock.advance(2 * 61_000 + 1_000);
await settle();
const idle = process.memoryUsage();

const result: TenantsResult = {
  corps,
  operationsPerCorp: operationIds.length,
  calls: corps * operationIds.length,
  rssGrowthMB: (active.rss - before.rss) / MB,
  heapActiveMB: (active.heapUsed - before.heapUsed) / MB,
  heapRetainedMB: (idle.heapUsed - before.heapUsed) / MB,
  limiterKeysActive,
  limiterKeysAfterIdle: limiter.size,
  tokensHeld: tokenStore.size,
  cpuMicrosPerCall: (cpu.user + cpu.system) / (corps * operationIds.length),
};
reportResult(result);
process.exit(0);
