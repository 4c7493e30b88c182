import { FigureSet } from '../lib/figures';
import { runWorker } from '../lib/processes';
import { median, round } from '../lib/stats';
import type { SpecCheckResult } from '../workers/spec-check';

const RUNS = 3;
const CALLS = 20_000;

/** client.call()'s CPU per call with specCheck off and at sample rate 1, each variant in its own processes. */
export async function specCheck(): Promise<FigureSet> {
  const figures = new FigureSet('spec check');
  const runs: Record<'off' | 'on', SpecCheckResult[]> = { off: [], on: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const variant of ['off', 'on'] as const) {
      runs[variant].push(
        await runWorker<SpecCheckResult>('spec-check.ts', { variant, calls: CALLS }, { timeoutMs: 120_000 }),
      );
    }
  }
  const cpu = (variant: 'off' | 'on') => median(runs[variant].map((result) => result.cpuMicrosPerCall));
  const body = `getExternalContact's official example (${runs.off[0]?.bodyBytes ?? '?'} bytes of JSON) from an in-memory fetch, an onEvent listener in both; median of ${RUNS} processes of ${CALLS} calls`;
  figures.add({
    name: 'client.call() CPU per call, specCheck off',
    value: cpu('off'),
    digits: 1,
    unit: 'µs/call',
    detail: `${body}; off is the default: the transport is not wrapped at all`,
  });
  figures.add({
    name: 'client.call() CPU per call, specCheck at sampleRate 1',
    value: cpu('on'),
    digits: 1,
    unit: 'µs/call',
    detail: body,
  });
  figures.add({
    name: 'what specCheck at sampleRate 1 adds per call',
    value: cpu('on') - cpu('off'),
    digits: 1,
    unit: 'µs/call',
    detail: `${round(((cpu('on') - cpu('off')) / cpu('off')) * 100, 1)} % of the call's own CPU; at sampleRate r it is r times this`,
  });
  return figures;
}
