// Per-call cost of several ways to make the same WeCom call against the same local server, measured
// in one process, round by round, in rotating order. The benchmark runs it once per group of
// variants: ways of sending that drive the network stack differently (fetch with Request objects,
// fetch beside node:http) make its code polymorphic, and would slow each other in one process.
import { request } from 'node:http';
import { createWecomClient, type paths } from '@wecom-kit/client';
import createFetchClient from 'openapi-fetch';
import { reportResult, workerInput } from '../lib/processes';
import { median, rotated } from '../lib/stats';

interface Input {
  url: string;
  /** Measured together, in rotating order. */
  variants: Variant[];
  rounds: number;
  callsPerRound: number;
  warmupCalls: number;
}

export interface OverheadResult {
  microsPerCall: Record<Variant, number>;
  /** CPU time of this process per call (user + system), which other load on the machine disturbs less. */
  cpuMicrosPerCall: Record<Variant, number>;
  /** Per baseline measured (the `bare …` variants): median over rounds of variant time / baseline time in the same round. */
  ratioTo: Partial<Record<Baseline, Record<Variant, number>>>;
  rounds: number;
  callsPerRound: number;
}

export type Baseline = Extract<Variant, `bare ${string}`>;

export type Variant =
  | 'bare fetch'
  | 'bare fetch + timeout'
  | 'bare node:http + timeout'
  | 'openapi-fetch'
  | 'client.call()'
  | 'client.POST()';

const { url, variants: chosen, rounds, callsPerRound, warmupCalls } = workerInput<Input>();
const PATH = '/cgi-bin/externalcontact/get_moment_comments';
const input = { moment_id: 'momBench0001', userid: 'member0001' };
const corpId = 'wwbench0000000001';
const corpSecret = 'bench-overhead-secret';

// What a careful hand-written caller does at minimum: fetch the token once, put it in the URL,
// parse the JSON and check errcode.
const tokenBody = (await (
  await fetch(`${url}/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${corpSecret}`)
).json()) as { access_token: string };
const token = tokenBody.access_token;

async function bareFetch(signal?: AbortSignal): Promise<void> {
  const response = await fetch(`${url}${PATH}?access_token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
    ...(signal && { signal }),
  });
  const body = (await response.json()) as { errcode: number };
  if (body.errcode !== 0) throw new Error(`errcode ${body.errcode}`);
}

// The same, able to give up: what any caller that must not hang does.
const TIMEOUT_MS = 10_000;
async function bareFetchWithTimeout(): Promise<void> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
  try {
    await bareFetch(timeout.signal);
  } finally {
    clearTimeout(timer);
  }
}

// The same by hand with node:http, which the client sends through on Node: the like-for-like
// baseline for the client's own cost.
function bareNodeHttpWithTimeout(): Promise<void> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(input);
    const sent = request(
      `${url}${PATH}?access_token=${encodeURIComponent(token)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('error', reject);
        response.on('end', () => {
          clearTimeout(timer);
          const body = JSON.parse(text) as { errcode: number };
          if (body.errcode === 0) resolve();
          else reject(new Error(`errcode ${body.errcode}`));
        });
      },
    );
    const timer = setTimeout(() => sent.destroy(new Error('timed out')), TIMEOUT_MS);
    sent.on('error', reject);
    sent.end(payload);
  });
}

const openapiFetch = createFetchClient<paths>({ baseUrl: url });
async function openapiFetchCall(): Promise<void> {
  const { data } = await openapiFetch.POST(PATH, {
    // The spec leaves access_token out of every operation; a hand-rolled openapi-fetch caller adds it.
    params: { query: { access_token: token } } as never,
    body: input,
  });
  if (data?.errcode !== 0) throw new Error(`errcode ${data?.errcode}`);
}

// The default stack: token provider, limiter, retry policy, validation, errcode handling, events.
// The per-minute budget is raised above what the benchmark sends (WeCom's real 10,000 per minute
// would hold calls back after the first 10,000): the limiter still runs on every call, never waits.
const client = createWecomClient({
  corpId,
  corpSecret,
  baseUrl: url,
  rateLimit: { perMinute: 1_000_000 },
});
async function clientCall(): Promise<void> {
  await client.call('getMomentComments', input);
}
async function clientPost(): Promise<void> {
  const { error } = await client.POST(PATH, { body: input });
  if (error) throw error;
}

const variants: Record<Variant, () => Promise<void>> = {
  'bare fetch': () => bareFetch(),
  'bare fetch + timeout': bareFetchWithTimeout,
  'bare node:http + timeout': bareNodeHttpWithTimeout,
  'openapi-fetch': openapiFetchCall,
  'client.call()': clientCall,
  'client.POST()': clientPost,
};
const names = chosen;

for (const name of names) for (let call = 0; call < warmupCalls; call++) await variants[name]();

const perVariant = () =>
  Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Variant, number[]>;
const perRound = perVariant();
const cpuPerRound = perVariant();
for (let round = 0; round < rounds; round++) {
  for (const name of rotated(names, round)) {
    const run = variants[name];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let call = 0; call < callsPerRound; call++) await run();
    perRound[name].push(((performance.now() - started) * 1000) / callsPerRound);
    const cpu = process.cpuUsage(cpuBefore);
    cpuPerRound[name].push((cpu.user + cpu.system) / callsPerRound);
  }
}

const ratios = (name: Variant, baseline: Variant) =>
  perRound[name].map((micros, round) => micros / (perRound[baseline][round] as number));
const mediansOf = (values: (name: Variant) => number[]) =>
  Object.fromEntries(names.map((name) => [name, median(values(name))])) as Record<Variant, number>;
const result: OverheadResult = {
  microsPerCall: mediansOf((name) => perRound[name]),
  cpuMicrosPerCall: mediansOf((name) => cpuPerRound[name]),
  ratioTo: Object.fromEntries(
    names
      .filter((name): name is Baseline => name.startsWith('bare'))
      .map((baseline) => [baseline, mediansOf((name) => ratios(name, baseline))]),
  ),
  rounds,
  callsPerRound,
};
reportResult(result);
