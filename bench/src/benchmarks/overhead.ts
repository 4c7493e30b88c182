import { FigureSet } from '../lib/figures';
import { runWorker, startServerWorker } from '../lib/processes';
import { median, round } from '../lib/stats';
import type { OverheadResult, Variant } from '../workers/overhead';
import type { OwnCostResult } from '../workers/overhead-own-cost';

// Many short rounds: the machine's background load changes slowly, so neighbouring rounds see the same load.
const ROUNDS = 40;
const CALLS_PER_ROUND = 150;
const SAME_STACK_RUNS = 3;

export async function overhead(): Promise<FigureSet> {
  const figures = new FigureSet('overhead');
  const server = await startServerWorker('wecom-echo-server.ts', {});
  try {
    const measure = (variants: Variant[]) =>
      runWorker<OverheadResult>(
        'overhead.ts',
        { url: server.url, variants, rounds: ROUNDS, callsPerRound: CALLS_PER_ROUND, warmupCalls: 500 },
        { timeoutMs: 180_000 },
      );
    // The client sends through node:http on Node: fetch and node:http in one process slow each
    // other, so each HTTP stack gets its own process with the client measured beside it.
    const client = await measure(['bare fetch', 'bare fetch + timeout', 'client.call()']);
    // The like-for-like pair moves more between processes than within one: the run with the median
    // ratio of three stands for them.
    const sameStackRuns: OverheadResult[] = [];
    for (let run = 0; run < SAME_STACK_RUNS; run++) {
      sameStackRuns.push(await measure(['bare node:http + timeout', 'client.call()']));
    }
    const sameStackRatio = (result: OverheadResult) =>
      result.ratioTo['bare node:http + timeout']?.['client.call()'] ?? Number.NaN;
    sameStackRuns.sort((a, b) => sameStackRatio(a) - sameStackRatio(b));
    const sameStack = sameStackRuns[Math.floor(SAME_STACK_RUNS / 2)] as OverheadResult;
    const fetchAlone = await measure(['bare fetch', 'bare fetch + timeout']);
    const paths = await measure(['bare fetch', 'openapi-fetch', 'client.POST()']);
    const rounds = `median of ${client.rounds} interleaved rounds of ${client.callsPerRound} sequential calls`;
    const toBare = client.ratioTo['bare fetch'] as Record<Variant, number>;
    figures.add({
      name: 'bare fetch (token in URL, JSON, errcode check)',
      value: client.microsPerCall['bare fetch'],
      digits: 1,
      unit: 'µs/call',
    });
    figures.add({
      name: 'client.call() full stack',
      value: client.microsPerCall['client.call()'],
      digits: 1,
      unit: 'µs/call',
    });
    figures.add({
      name: 'client.call() / bare fetch',
      value: toBare['client.call()'],
      digits: 3,
      unit: '×',
      target: { op: '<=', value: 1.1 },
      detail: rounds,
    });
    figures.add({
      name: 'bare fetch with a 10 s timeout (AbortSignal) / bare fetch',
      value: toBare['bare fetch + timeout'],
      digits: 3,
      unit: '×',
      detail: 'what making a fetch abortable costs by itself on this Node',
    });
    figures.add({
      name: 'client.call() / bare fetch with a timeout',
      value: client.ratioTo['bare fetch + timeout']?.['client.call()'] ?? null,
      digits: 3,
      unit: '×',
      target: { op: '<=', value: 1.1 },
      detail: `like for like: both calls can time out and be aborted; ${rounds}`,
    });
    const cpu = client.cpuMicrosPerCall;
    figures.add({
      name: 'client.call() / bare fetch, CPU time of the calling process',
      value: cpu['client.call()'] / cpu['bare fetch'],
      digits: 3,
      unit: '×',
      detail: `${round(cpu['client.call()'], 0)} vs ${round(cpu['bare fetch'], 0)} µs of CPU per call (medians)`,
    });
    figures.add({
      name: 'client.call() / bare fetch, each in a process without the other HTTP stack',
      value: sameStack.microsPerCall['client.call()'] / fetchAlone.microsPerCall['bare fetch'],
      digits: 3,
      unit: '×',
      detail: `${round(sameStack.microsPerCall['client.call()'], 0)} µs (client, beside bare node:http) vs ${round(fetchAlone.microsPerCall['bare fetch'], 0)} µs (bare fetch, beside bare fetch + timeout): fetch and node:http in one process slow each other`,
    });
    figures.add({
      name: 'bare node:http with a timeout',
      value: sameStack.microsPerCall['bare node:http + timeout'],
      digits: 1,
      unit: 'µs/call',
      detail: 'the HTTP stack the client uses on Node, driven by hand; measured in its own process',
    });
    figures.add({
      name: 'client.call() / bare node:http with a timeout',
      value: sameStack.ratioTo['bare node:http + timeout']?.['client.call()'] ?? null,
      digits: 3,
      unit: '×',
      detail: `what the client's own work (token, limiter, validation, retry policy, events) adds over the same HTTP stack on a server that answers at once; ${rounds}; median of ${SAME_STACK_RUNS} processes (${sameStackRuns.map((result) => round(sameStackRatio(result), 3)).join(', ')})`,
    });
    figures.add({
      name: 'openapi-fetch alone',
      value: paths.microsPerCall['openapi-fetch'],
      digits: 1,
      unit: 'µs/call',
      detail: 'measured in a process of its own, against its own bare-fetch rounds',
    });
    figures.add({
      name: 'openapi-fetch / bare fetch',
      value: paths.ratioTo['bare fetch']?.['openapi-fetch'] ?? null,
      digits: 3,
      unit: '×',
    });
    figures.add({
      name: 'client.POST() path API / bare fetch',
      value: paths.ratioTo['bare fetch']?.['client.POST()'] ?? null,
      digits: 3,
      unit: '×',
    });
  } finally {
    await server.stop();
  }
  await ownCost(figures);
  return figures;
}

const OWN_COST_RUNS = 3;

/** What the client itself costs per call, measured without a network (in-memory fetch), in separate processes. */
async function ownCost(figures: FigureSet): Promise<void> {
  const runs: Record<'bare' | 'client', OwnCostResult[]> = { bare: [], client: [] };
  for (let run = 0; run < OWN_COST_RUNS; run++) {
    for (const variant of ['bare', 'client'] as const) {
      runs[variant].push(
        await runWorker<OwnCostResult>(
          'overhead-own-cost.ts',
          { variant, calls: 30_000 },
          { timeoutMs: 120_000 },
        ),
      );
    }
  }
  const cpu = (variant: 'bare' | 'client') => median(runs[variant].map((result) => result.cpuMicrosPerCall));
  figures.add({
    name: "client.call()'s own CPU cost per call (in-memory fetch)",
    value: cpu('client') - cpu('bare'),
    digits: 1,
    unit: 'µs/call',
    detail: `client ${round(cpu('client'), 1)} µs vs bare ${round(cpu('bare'), 1)} µs of CPU per call with a fetch that answers from memory; median of ${OWN_COST_RUNS} processes each`,
  });
}
