// One of several processes sharing a Redis token store. On each message from the parent it runs
// a phase of calls and answers with its counts: `cold` (all calls at once, no token yet), then
// `load` (a steady stream, during which the parent revokes the token).
import { createWecomClient, type WecomEvent } from '@wecom-kit/client';
import { mapConcurrent } from '@wecom-kit/core/internal';
import { createRedisTokenStore } from '@wecom-kit/core/redis';
import { workerInput } from '../lib/processes';

interface Input {
  url: string;
  corpId: string;
  corpSecret: string;
  redisUrl: string;
  keyPrefix: string;
}

export interface PhaseRequest {
  calls: number;
  concurrency: number;
}

export interface PhaseResult {
  ok: number;
  failed: number;
  tokenRefreshes: number;
  firstError?: string;
}

const input = workerInput<Input>();
const store = createRedisTokenStore({ url: input.redisUrl, keyPrefix: input.keyPrefix });
const events: WecomEvent[] = [];
const client = createWecomClient({
  corpId: input.corpId,
  corpSecret: input.corpSecret,
  baseUrl: input.url,
  tokenStore: store,
  onEvent: (event) => events.push(event),
});

async function runPhase({ calls, concurrency }: PhaseRequest): Promise<PhaseResult> {
  events.length = 0;
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  await mapConcurrent(
    Array.from({ length: calls }, (_, index) => index),
    async () => {
      try {
        await client.call('getFollowUserList');
        ok += 1;
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    },
    { concurrency },
  );
  const tokenRefreshes = events.filter((event) => event.type === 'token-refresh').length;
  return { ok, failed, tokenRefreshes, ...(firstError !== undefined && { firstError }) };
}

process.on('message', (message: PhaseRequest | 'exit') => {
  if (message === 'exit') {
    store.close().finally(() => process.disconnect?.());
    return;
  }
  runPhase(message).then((result) => process.send?.(result));
});
// Connected to Redis before the first phase, so that every process starts equally ready.
await store.get('bench:warmup');
console.log('{"ready":true}');
