// A separate process for the multi-process Redis tests: reads commands on stdin, answers one JSON line each.
import { createInterface } from 'node:readline';
import type { WecomEvent } from '../events';
import { createRedisTokenStore } from '../redis';
import { createTransport } from '../transport';
import { readInput, readOp } from './transport-fixtures';

const { REDIS_URL, BASE_URL, CORP_ID, CORP_SECRET } = process.env;
if (!REDIS_URL || !BASE_URL || !CORP_ID || !CORP_SECRET)
  throw new Error('token-child needs REDIS_URL, BASE_URL, CORP_ID, CORP_SECRET');

const events: WecomEvent[] = [];
const store = createRedisTokenStore({ url: REDIS_URL, retryRedisAfterMs: 300 });
const transport = createTransport({
  corpId: CORP_ID,
  corpSecret: CORP_SECRET,
  baseUrl: BASE_URL,
  tokenStore: store,
  retry: { baseDelayMs: 5, maxDelayMs: 40 },
  onEvent: (event) => events.push(event),
});

function reply(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

// Connects before saying ready, so that a burst measures token sharing and not connection set-up.
await store.get('wecom:warm-up');
reply({ ready: true });

for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.trim().split(' ');
  if (command === 'burst') {
    const results = await Promise.allSettled(
      Array.from({ length: Number(argument) }, () => transport.request(readOp, readInput)),
    );
    const errors = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    reply({
      ok: results.length - errors.length,
      errors,
      events: events.splice(0),
      usingFallback: store.usingFallback,
    });
  } else if (command === 'exit') {
    await store.close();
    reply({ closed: true });
    break;
  }
}
process.exit(0);
