import { FigureSet } from '../lib/figures';
import { runWorker, SandboxProcess } from '../lib/processes';
import { median, round } from '../lib/stats';
import type { LoadResult } from '../workers/load';
import type { SeedResult } from '../workers/sandbox-seed';

const SCALE = 100_000;
const SEED_RUNS = 3;
const LOAD_RUNS = 3;
/** WeCom's default quota is 10,000 calls per minute per API: a sandbox slower than that cannot stand in for WeCom at full speed. */
const WECOM_QUOTA_PER_SECOND = 10_000 / 60;

export async function sandbox(): Promise<FigureSet> {
  const figures = new FigureSet('sandbox');
  const seeds: SeedResult[] = [];
  for (let run = 0; run < SEED_RUNS; run++) {
    seeds.push(await runWorker<SeedResult>('sandbox-seed.ts', { scale: SCALE }, { timeoutMs: 120_000 }));
  }
  const last = seeds.at(-1) as SeedResult;
  figures.add({
    name: `seeding at scale ${SCALE.toLocaleString('en-US')} (startSandbox until listening)`,
    value: median(seeds.map((seed) => seed.ms)) / 1000,
    digits: 2,
    unit: 's',
    // vitest's default hook timeout: a test suite can start a sandbox this size in beforeAll.
    target: { op: '<=', value: 10 },
    detail: `median of ${SEED_RUNS} fresh processes; ${last.follows.toLocaleString('en-US')} relations, ${last.moments.toLocaleString('en-US')} moments, RSS ${round(last.rssMb, 0)} MB`,
  });

  // The quota is raised so the sandbox's own 45009 never caps what is measured.
  const server = await SandboxProcess.start({
    scale: SCALE,
    rateLimitPerMinute: 10_000_000,
    concurrencyLimit: 1_000,
  });
  try {
    const { access_token: token } = (await (
      await fetch(`${server.url}/cgi-bin/gettoken?corpid=${server.corpId}&corpsecret=${server.corpSecret}`)
    ).json()) as { access_token: string };
    const end = Math.floor(Date.now() / 1000);
    const loads: LoadResult[] = [];
    for (let run = 0; run < LOAD_RUNS; run++) {
      loads.push(
        await runWorker<LoadResult>(
          'load.ts',
          {
            url: `${server.url}/cgi-bin/externalcontact/get_moment_list?access_token=${token}`,
            body: { start_time: end - 30 * 86_400, end_time: end, limit: 20 },
            connections: 16,
            seconds: 4,
            warmupSeconds: 1,
          },
          { timeoutMs: 60_000 },
        ),
      );
    }
    const failures = loads.reduce((sum, load) => sum + load.notOk, 0);
    figures.add({
      name: `get_moment_list at scale ${SCALE.toLocaleString('en-US')}, 16 connections`,
      value: median(loads.map((load) => load.requestsPerSecond)),
      digits: 0,
      unit: 'requests/s',
      target: { op: '>=', value: Math.ceil(WECOM_QUOTA_PER_SECOND) },
      detail: `median of ${LOAD_RUNS} runs of 4 s; non-zero answers: ${failures}${failures ? ` ${JSON.stringify(loads.at(-1)?.errcodes)}` : ''}`,
    });
  } finally {
    await server.stop();
  }
  return figures;
}
