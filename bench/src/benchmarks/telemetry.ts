import { FigureSet } from '../lib/figures';
import { runWorker } from '../lib/processes';
import { median, round } from '../lib/stats';
import type { TelemetryResult, TelemetryVariant } from '../workers/telemetry';

const RUNS = 5;
const CALLS = 20_000;
const VARIANTS: readonly TelemetryVariant[] = ['absent', 'no-provider', 'provider', 'sdk-only'];

/** client.call()'s CPU per call without @opentelemetry/api, with it and no provider, and with providers registered. */
export async function telemetry(): Promise<FigureSet> {
  const figures = new FigureSet('telemetry');
  const runs: Record<TelemetryVariant, TelemetryResult[]> = {
    absent: [],
    'no-provider': [],
    provider: [],
    'sdk-only': [],
  };
  for (let run = 0; run < RUNS; run++) {
    // Rotating order, so that no variant always runs first on a machine whose load drifts.
    for (const [index] of VARIANTS.entries()) {
      const variant = VARIANTS[(index + run) % VARIANTS.length] as TelemetryVariant;
      runs[variant].push(
        await runWorker<TelemetryResult>('telemetry.ts', { variant, calls: CALLS }, { timeoutMs: 120_000 }),
      );
    }
  }
  const loadedWhenItShouldNot = [...runs.absent, ...runs['sdk-only']].some((result) => result.loaded);
  if (loadedWhenItShouldNot || runs['no-provider'].some((result) => !result.loaded)) {
    throw new Error(
      'the absent variant loaded @opentelemetry/api, or the others did not: the figures would be wrong',
    );
  }
  const cpu = (variant: TelemetryVariant) => median(runs[variant].map((result) => result.cpuMicrosPerCall));
  const how = `in-memory fetch, getMomentComments; median of ${RUNS} processes of ${CALLS} calls`;
  figures.add({
    name: 'client.call() CPU per call, @opentelemetry/api not installed',
    value: cpu('absent'),
    digits: 1,
    unit: 'µs/call',
    detail: `${how}; the pipeline of before OpenTelemetry plus one check that there is no telemetry`,
  });
  figures.add({
    name: 'client.call() CPU per call, @opentelemetry/api installed, no provider registered',
    value: cpu('no-provider'),
    digits: 1,
    unit: 'µs/call',
    detail: `${how}; per call: two look-ups of the global providers, nothing allocated`,
  });
  // Adjacent processes see the same load: the ratio of each round, then their median.
  const ratios = runs.absent.map(
    (absent, run) => (runs['no-provider'][run]?.cpuMicrosPerCall ?? Number.NaN) / absent.cpuMicrosPerCall,
  );
  figures.add({
    name: 'no provider registered / not installed',
    value: median(ratios),
    digits: 3,
    unit: '×',
    detail: `median of the per-round ratios (${ratios.map((ratio) => round(ratio, 2)).join(', ')}): on a shared machine this spread is the noise, larger than the check it compares`,
  });
  const check = median(runs['no-provider'].map((result) => result.checkNanosPerCall ?? Number.NaN));
  figures.add({
    name: 'what the instrumentation adds per call with no provider registered',
    value: check,
    digits: 0,
    unit: 'ns/call',
    // 1 % of the client's own cost per call (about 100 µs of CPU on this machine).
    target: { op: '<=', value: 1_000 },
    detail: `timed alone, 1,000,000 times per process: startCall answering "no provider" and observe() offered a call's four events; ${round((check / 1000 / cpu('absent')) * 100, 2)} % of a call`,
  });
  figures.add({
    name: 'client.call() CPU per call, tracer and meter providers registered',
    value: cpu('provider'),
    digits: 1,
    unit: 'µs/call',
    detail: `${how}; a span (batched to an exporter that drops it) and two metric points per call, with AsyncLocalStorage context as NodeSDK sets it up`,
  });
  figures.add({
    name: 'client.call() CPU per call, the same providers registered, wecom-kit without @opentelemetry/api',
    value: cpu('sdk-only'),
    digits: 1,
    unit: 'µs/call',
    detail: `${how}; what the app's SDK setup (AsyncLocalStorage context on every promise) costs a call that is not traced`,
  });
  figures.add({
    name: "what wecom-kit's spans and metrics add per call, providers registered",
    value: cpu('provider') - cpu('sdk-only'),
    digits: 1,
    unit: 'µs/call',
    detail:
      'providers registered minus the same providers with wecom-kit not instrumented: the span, its events and attributes, two metric points',
  });
  return figures;
}
