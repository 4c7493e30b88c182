// Walks N rows of contact_list or batch/get_by_user from the sandbox, through client.paginate()
// and with a hand-written cursor loop (with and without a per-request timeout). `throughput` runs
// the walks in lockstep, one page of each in turn, timing each walker's pages; `rss` runs one
// client walk and samples its memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { createWecomClient } from '@wecom-kit/client';
import { reportResult, workerInput } from '../lib/processes';
import { median, rotated } from '../lib/stats';

export type Listing = 'contact_list' | 'batch/get_by_user';
export type Walker = 'client.paginate()' | 'hand-written loop' | 'hand-written loop + timeout';

interface Input {
  url: string;
  corpId: string;
  corpSecret: string;
  listing: Listing;
  rows: number;
  mode: 'throughput' | 'rss';
  rounds?: number;
}

export interface ThroughputResult {
  itemsPerSecond: Record<Walker, number>;
  /** Median over every pair of same pages of client time / hand-written time. */
  ratio: number;
  /** The same against the hand-written loop whose requests can time out. */
  ratioWithTimeout: number;
  requests: Record<Walker, number>;
}

export interface RssResult {
  rows: number;
  baselineMb: number;
  peakGrowthMb: number;
  /** Heap still in use after a full GC at the end, minus the same at the baseline: what the walk retained. */
  retainedHeapMb: number;
}

const input = workerInput<Input>();
const { url, listing, rows } = input;
const wecom = createWecomClient({ corpId: input.corpId, corpSecret: input.corpSecret, baseUrl: url });

const members = (await wecom.call('getFollowUserList')).follow_user;
const memberBatches: string[][] = [];
for (let index = 0; index < members.length; index += 100)
  memberBatches.push(members.slice(index, index + 100));

/** Touches every row the way a consumer would, so that neither walker can skip work. */
let checksum = 0;
function consume(id: string): void {
  checksum = (checksum + id.length + id.charCodeAt(id.length - 1)) | 0;
}

/** Yields once per page (request), after consuming its rows. */
async function* clientPages(limit: number): AsyncGenerator<void> {
  if (listing === 'contact_list') {
    for await (const page of wecom.paginate('listServedContacts', {}, { maxItems: limit })) {
      for (const row of page.items) consume(row.external_userid ?? '');
      yield;
    }
    return;
  }
  let seen = 0;
  for (const userid_list of memberBatches) {
    if (seen >= limit) return;
    for await (const page of wecom.paginate(
      'batchGetByUser',
      { userid_list, limit: 100 },
      { maxItems: limit - seen },
    )) {
      for (const pair of page.items) consume(pair.external_contact.external_userid);
      seen += page.items.length;
      yield;
    }
  }
}

// What a careful caller writes without the client: token once, cursor loop, errcode check.
const { access_token: token } = (await (
  await fetch(
    `${url}/cgi-bin/gettoken?corpid=${input.corpId}&corpsecret=${encodeURIComponent(input.corpSecret)}`,
  )
).json()) as { access_token: string };

const TIMEOUT_MS = 10_000;

async function postPage(
  path: string,
  body: Record<string, unknown>,
  withTimeout: boolean,
): Promise<Record<string, unknown>> {
  const timeout = withTimeout ? new AbortController() : undefined;
  const timer = timeout && setTimeout(() => timeout.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${url}/cgi-bin/externalcontact/${path}?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(timeout && { signal: timeout.signal }),
    });
    const answer = (await response.json()) as Record<string, unknown> & { errcode: number };
    if (answer.errcode !== 0) throw new Error(`${path}: errcode ${answer.errcode}`);
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

async function* handPages(limit: number, withTimeout = false): AsyncGenerator<void> {
  let seen = 0;
  const batches = listing === 'contact_list' ? [undefined] : memberBatches;
  for (const userid_list of batches) {
    let cursor = '';
    while (seen < limit) {
      const body =
        userid_list === undefined
          ? await postPage('contact_list', cursor ? { cursor } : {}, withTimeout)
          : await postPage(
              'batch/get_by_user',
              { userid_list, limit: 100, ...(cursor && { cursor }) },
              withTimeout,
            );
      const ids =
        userid_list === undefined
          ? (body.info_list as { external_userid: string }[]).map((row) => row.external_userid)
          : (body.external_contact_list as { external_contact: { external_userid: string } }[]).map(
              (pair) => pair.external_contact.external_userid,
            );
      for (const id of ids.slice(0, limit - seen)) consume(id);
      seen += Math.min(ids.length, limit - seen);
      yield;
      cursor = (body.next_cursor as string | undefined) ?? '';
      if (!cursor) break;
    }
    if (seen >= limit) return;
  }
}

const walkers: Record<Walker, (limit: number) => AsyncGenerator<void>> = {
  'client.paginate()': clientPages,
  'hand-written loop': (limit) => handPages(limit),
  'hand-written loop + timeout': (limit) => handPages(limit, true),
};
const names = Object.keys(walkers) as Walker[];
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function walk(walker: Walker, limit: number): Promise<void> {
  for await (const _page of walkers[walker](limit));
}

/**
 * All walks at once, a page of each in turn (the order rotates every step), so that whatever else
 * the machine does at a moment slows them alike. Returns each walker's page times.
 */
async function lockstep(limit: number): Promise<Record<Walker, number[]>> {
  const iterators = names.map((name) => walkers[name](limit));
  const pageSeconds: number[][] = names.map(() => []);
  const done = names.map(() => false);
  for (let step = 0; !done.every(Boolean); step++) {
    for (const index of rotated([...names.keys()], step)) {
      if (done[index]) continue;
      const started = performance.now();
      const next = await (iterators[index] as AsyncGenerator<void>).next();
      const elapsed = (performance.now() - started) / 1000;
      if (next.done) done[index] = true;
      else pageSeconds[index]?.push(elapsed);
    }
  }
  return Object.fromEntries(names.map((name, index) => [name, pageSeconds[index]])) as Record<
    Walker,
    number[]
  >;
}

function rssMb(field: 'VmRSS' | 'VmHWM'): number {
  const match = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return match ? Number(match[1]) / 1024 : process.memoryUsage.rss() / 2 ** 20;
}

/** One client walk from a fresh baseline (after a full GC): peak RSS growth and retained heap. */
async function measureMemory(): Promise<RssResult> {
  collectGarbage();
  const baselineHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
  const baselineMb = rssMb('VmRSS');
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Without a peak reset the high-water mark may predate the baseline; the sampling still bounds the peak.
  }
  let sampledPeakMb = baselineMb;
  const sampler = setInterval(() => {
    sampledPeakMb = Math.max(sampledPeakMb, process.memoryUsage.rss() / 2 ** 20);
  }, 5);
  await walk('client.paginate()', rows);
  clearInterval(sampler);
  const peakMb = Math.max(sampledPeakMb, rssMb('VmHWM'));
  collectGarbage();
  const retainedHeapMb = process.memoryUsage().heapUsed / 2 ** 20 - baselineHeapMb;
  return { rows, baselineMb, peakGrowthMb: peakMb - baselineMb, retainedHeapMb };
}

// Warm up code paths, connections and the token before anything is measured.
for (const name of names) await walk(name, 2_000);

if (input.mode === 'rss') {
  reportResult(await measureMemory());
} else {
  const walkSeconds = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    Walker,
    number[]
  >;
  const pageRatios: Record<'plain' | 'timeout', number[]> = { plain: [], timeout: [] };
  let requests = {} as Record<Walker, number>;
  for (let round = 0; round < (input.rounds ?? 2); round++) {
    collectGarbage();
    const pages = await lockstep(rows);
    const client = pages['client.paginate()'];
    for (const name of names) walkSeconds[name].push(pages[name].reduce((sum, seconds) => sum + seconds, 0));
    // Page i of every walk asks for the same rows, one right after the other.
    for (const [baseline, hand] of [
      ['plain', pages['hand-written loop']],
      ['timeout', pages['hand-written loop + timeout']],
    ] as const) {
      for (const [index, seconds] of client.entries()) {
        const other = hand[index];
        if (other) pageRatios[baseline].push(seconds / other);
      }
    }
    requests = Object.fromEntries(names.map((name) => [name, pages[name].length])) as Record<Walker, number>;
  }
  const result: ThroughputResult = {
    itemsPerSecond: Object.fromEntries(
      names.map((name) => [name, rows / median(walkSeconds[name])]),
    ) as Record<Walker, number>,
    ratio: median(pageRatios.plain),
    ratioWithTimeout: median(pageRatios.timeout),
    requests,
  };
  reportResult(result);
}
