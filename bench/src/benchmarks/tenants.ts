import { createRedisRateLimiter } from '@wecom-kit/core/redis';
import { Redis } from 'ioredis';
import { FigureSet } from '../lib/figures';
import { runWorker } from '../lib/processes';
import { startRedis } from '../lib/redis';
import { median, round } from '../lib/stats';
import type { OwnCostResult } from '../workers/overhead-own-cost';
import type { RedactionResult } from '../workers/redaction';
import type { TenantsResult } from '../workers/tenants';

const CORPS = 10_000;
const OPERATIONS_PER_CORP = 30;
const BUSY_SENDS = 10_000;
const OWN_COST_RUNS = 5;

/** Many corps in one process, and one busy budget in Redis. */
export async function tenants(): Promise<FigureSet> {
  const figures = new FigureSet('tenants');
  await manyCorps(figures);
  await redisMemoryPerKey(figures);
  await sharedCallCost(figures);
  await redactionCost(figures);
  return figures;
}

async function manyCorps(figures: FigureSet): Promise<void> {
  const result = await runWorker<TenantsResult>(
    'tenants.ts',
    { corps: CORPS, operationsPerCorp: OPERATIONS_PER_CORP },
    { nodeFlags: ['--expose-gc'], timeoutMs: 600_000 },
  );
  const what = `${result.corps.toLocaleString('en-US')} corps × ${result.operationsPerCorp} operations (${result.calls.toLocaleString('en-US')} calls), a client per corp over createSharedResources`;
  figures.add({
    name: `RSS growth, ${CORPS.toLocaleString('en-US')} corps × ${OPERATIONS_PER_CORP} operations`,
    value: result.rssGrowthMB,
    digits: 1,
    unit: 'MB',
    target: { op: '<', value: 150 },
    detail: `${what}; every client kept in a tenant registry; heap ${round(result.heapActiveMB, 1)} MB, ${result.limiterKeysActive.toLocaleString('en-US')} limiter keys, ${result.tokensHeld.toLocaleString('en-US')} tokens`,
  });
  figures.add({
    name: 'heap retained after the corps go idle',
    value: result.heapRetainedMB,
    digits: 1,
    unit: 'MB',
    target: { op: '<', value: 20 },
    detail: `the registry drops its clients and two limiter windows pass on a hand-moved clock; limiter keys left: ${result.limiterKeysAfterIdle}; the ${result.tokensHeld.toLocaleString('en-US')} tokens stay cached until they expire`,
  });
  figures.add({
    name: 'limiter keys left after idle eviction',
    value: result.limiterKeysAfterIdle,
    digits: 0,
    unit: 'keys',
    target: { op: '==', value: 0 },
  });
}

async function redisMemoryPerKey(figures: FigureSet): Promise<void> {
  const redis = await startRedis();
  if (!redis) {
    figures.unmeasured(
      [{ name: 'Redis memory per busy budget', unit: 'bytes', target: { op: '<', value: 8_192 } }],
      'redis-server is not installed',
    );
    return;
  }
  // A one-second window: the 10,000 sends take longer than that, so every sub-window of the
  // window holds sends when memory is read, the most a budget ever holds.
  const limiter = createRedisRateLimiter({ url: redis.url, keyPrefix: 'bench:', windowMs: 1_000 });
  const inspector = new Redis(redis.url);
  try {
    const key = {
      scope: 'wwbusy',
      operationId: 'getExternalContact',
      perMinute: BUSY_SENDS,
      concurrency: 64,
    };
    for (let send = 0; send < BUSY_SENDS; send++) {
      await limiter.acquire(key);
      limiter.release(key);
    }
    let bytes = 0;
    for (const name of await inspector.keys('bench:*')) {
      bytes += Number(await inspector.call('MEMORY', 'USAGE', name, 'SAMPLES', '0'));
    }
    figures.add({
      name: 'Redis memory per busy budget',
      value: bytes,
      digits: 0,
      unit: 'bytes',
      target: { op: '<', value: 8_192 },
      detail: `MEMORY USAGE of one (corp, operation) budget after ${BUSY_SENDS.toLocaleString('en-US')} sends spread over every sub-window of its window: counters per sub-window (a sorted set with a member per send took about 1.4 MB)`,
    });
  } finally {
    inspector.disconnect();
    await limiter.close();
    await redis.stop();
  }
}

/** Sharing resources must not make a call dearer: own CPU per call through shared resources vs a client's own. */
async function sharedCallCost(figures: FigureSet): Promise<void> {
  const runs: Record<'client' | 'shared', number[]> = { client: [], shared: [] };
  for (let run = 0; run < OWN_COST_RUNS; run++) {
    for (const variant of ['client', 'shared'] as const) {
      const result = await runWorker<OwnCostResult>(
        'overhead-own-cost.ts',
        { variant, calls: 30_000 },
        { timeoutMs: 120_000 },
      );
      runs[variant].push(result.cpuMicrosPerCall);
    }
  }
  const own = median(runs.client);
  const shared = median(runs.shared);
  figures.add({
    name: 'CPU per call through shared resources / a client of its own',
    value: shared / own,
    digits: 3,
    unit: '×',
    target: { op: '<=', value: 1.05 },
    detail: `${round(shared, 1)} vs ${round(own, 1)} µs of CPU per call with an in-memory fetch; median of ${OWN_COST_RUNS} processes each`,
  });
}

/** The proxy redacts every answer it returns; each corp adds its secret and tokens to look for. */
async function redactionCost(figures: FigureSet): Promise<void> {
  const result = await runWorker<RedactionResult>(
    'redaction.ts',
    { corps: CORPS, runs: 15 },
    { timeoutMs: 300_000 },
  );
  figures.add({
    name: `redact() on a ${result.textKB} KB answer, ${CORPS.toLocaleString('en-US')} corps' secrets and tokens held`,
    value: result.medianMs,
    digits: 1,
    unit: 'ms',
    target: { op: '<', value: 20 },
    detail: `${result.valuesRegistered.toLocaleString('en-US')} values registered; median of 15 runs in one process`,
  });
}
