// A closed-loop load generator: `connections` keep-alive loops POST the same body for `seconds`.
import { Agent, request } from 'node:http';
import { reportResult, workerInput } from '../lib/processes';

interface Input {
  url: string;
  body: unknown;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  ok: number;
  notOk: number;
  errcodes: Record<string, number>;
}

const input = workerInput<Input>();
const agent = new Agent({ keepAlive: true, maxSockets: input.connections });
const payload = JSON.stringify(input.body);

function post(): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      input.url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          try {
            resolve((JSON.parse(Buffer.concat(chunks).toString()) as { errcode: number }).errcode);
          } catch {
            resolve(Number.NaN);
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function drive(seconds: number): Promise<{ elapsedMs: number; errcodes: Record<string, number> }> {
  const errcodes: Record<string, number> = {};
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.connections }, async () => {
      while (performance.now() < stopAt) {
        const errcode = await post().catch(() => Number.NaN);
        errcodes[String(errcode)] = (errcodes[String(errcode)] ?? 0) + 1;
      }
    }),
  );
  return { elapsedMs: performance.now() - started, errcodes };
}

await drive(input.warmupSeconds);
const { elapsedMs, errcodes } = await drive(input.seconds);
const ok = errcodes['0'] ?? 0;
const total = Object.values(errcodes).reduce((sum, count) => sum + count, 0);
const result: LoadResult = { requestsPerSecond: (ok * 1000) / elapsedMs, ok, notOk: total - ok, errcodes };
agent.destroy();
reportResult(result);
