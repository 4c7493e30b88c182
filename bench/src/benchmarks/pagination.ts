import { FigureSet } from '../lib/figures';
import { runWorker, SandboxProcess } from '../lib/processes';
import { round } from '../lib/stats';
import type { Listing, RssResult, ThroughputResult } from '../workers/pagination';

const ROWS = 100_000;
const SMALL_ROWS = 10_000;
const RSS_LIMIT_MB = 30;
/** Lockstep walks per walker. batch/get_by_user pages are 100 rows (WeCom's maximum), so a walk is 1,000 requests. */
const ROUNDS: Record<Listing, number> = { contact_list: 4, 'batch/get_by_user': 2 };

export async function pagination(): Promise<FigureSet> {
  const figures = new FigureSet('pagination');
  // Scale 100,000 seeds about 115,000 member-customer relations: enough for 100,000 rows of both listings.
  const sandbox = await SandboxProcess.start({ scale: 100_000 });
  const common = { url: sandbox.url, corpId: sandbox.corpId, corpSecret: sandbox.corpSecret };
  const gcFlags = ['--expose-gc'];
  try {
    for (const listing of Object.keys(ROUNDS) as Listing[]) {
      const throughput = await runWorker<ThroughputResult>(
        'pagination.ts',
        { ...common, listing, rows: ROWS, mode: 'throughput', rounds: ROUNDS[listing] },
        { nodeFlags: gcFlags, timeoutMs: 600_000 },
      );
      figures.add({
        name: `${listing}: 100k rows, client.paginate()`,
        value: throughput.itemsPerSecond['client.paginate()'],
        digits: 0,
        unit: 'items/s',
      });
      figures.add({
        name: `${listing}: 100k rows, hand-written cursor loop`,
        value: throughput.itemsPerSecond['hand-written loop'],
        digits: 0,
        unit: 'items/s',
      });
      figures.add({
        name: `${listing}: client time / hand-written time`,
        value: throughput.ratio,
        digits: 3,
        unit: '×',
        target: { op: '<=', value: 1.05 },
        detail: `median over the pages of ${ROUNDS[listing]} rounds walking every way in lockstep (a page of each, then the same page of the next); requests per walk: ${JSON.stringify(throughput.requests)}`,
      });
      figures.add({
        name: `${listing}: client time / hand-written time with a timeout`,
        value: throughput.ratioWithTimeout,
        digits: 3,
        unit: '×',
        target: { op: '<=', value: 1.05 },
        detail:
          'like for like: the hand-written requests can time out and be aborted too (AbortSignal, 10 s)',
      });
      const memories: RssResult[] = [];
      for (const rows of [SMALL_ROWS, ROWS]) {
        memories.push(
          await runWorker<RssResult>(
            'pagination.ts',
            { ...common, listing, rows, mode: 'rss' },
            { nodeFlags: gcFlags, timeoutMs: 300_000 },
          ),
        );
      }
      const large = memories[1] as RssResult;
      for (const memory of memories) {
        figures.add({
          name: `${listing}: peak RSS growth, ${memory.rows.toLocaleString('en-US')} rows`,
          value: memory.peakGrowthMb,
          digits: 1,
          unit: 'MB',
          target: { op: '<', value: RSS_LIMIT_MB },
          detail: `over a baseline of ${round(memory.baselineMb, 1)} MB; heap retained after a full GC: ${round(memory.retainedHeapMb, 2)} MB`,
        });
      }
      figures.add({
        name: `${listing}: heap retained after the 100k walk (full GC)`,
        value: large.retainedHeapMb,
        digits: 2,
        unit: 'MB',
        target: { op: '<', value: 5 },
      });
    }
  } finally {
    await sandbox.stop();
  }
  return figures;
}
