// What OpenTelemetry costs per call: client.call() against an in-memory fetch (as the overhead
// group's own-cost worker), with @opentelemetry/api unresolvable (an app without it), installed
// with no provider registered, or with a tracer and a meter provider registered (spans batched to
// an exporter that drops them, metrics aggregated for a reader), and with those providers but
// wecom-kit unable to load the API (the SDK's own cost). Each variant in its own process.
import Module from 'node:module';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createWecomClient } from '@wecom-kit/client';
import { loadTelemetry } from '@wecom-kit/core/internal';
import { reportResult, workerInput } from '../lib/processes';

/** sdk-only: the providers registered, but @opentelemetry/api unresolvable for wecom-kit (what the app's SDK costs alone). */
export type TelemetryVariant = 'absent' | 'no-provider' | 'provider' | 'sdk-only';

interface Input {
  variant: TelemetryVariant;
  calls: number;
}

export interface TelemetryResult {
  cpuMicrosPerCall: number;
  /**
   * What the instrumentation adds to a call when no provider is registered, timed alone: asking
   * for the call's telemetry (answered "none") and offering it the four events of a call. Only in
   * the no-provider variant.
   */
  checkNanosPerCall?: number;
  /** Whether the client found @opentelemetry/api: false only for `absent`. */
  loaded: boolean;
}

const { variant, calls } = workerInput<Input>();

if (variant === 'absent' || variant === 'sdk-only') {
  // What Node does when the package is not installed: wecom-kit's createRequire finds nothing.
  const nodeModule = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const resolve = nodeModule._resolveFilename;
  nodeModule._resolveFilename = function (request, ...rest) {
    if (request === '@opentelemetry/api')
      throw Object.assign(new Error('not installed'), { code: 'MODULE_NOT_FOUND' });
    return resolve.call(this, request, ...rest);
  };
}
if (variant === 'provider' || variant === 'sdk-only') {
  const dropAll: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropAll)] }),
  );
  class IdleReader extends MetricReader {
    protected override async onForceFlush(): Promise<void> {}
    protected override async onShutdown(): Promise<void> {}
  }
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new IdleReader()] }));
}

const TOKEN_BODY = JSON.stringify({
  errcode: 0,
  errmsg: 'ok',
  access_token: 'bench-otel-token',
  expires_in: 7200,
});
const BODY = JSON.stringify({ errcode: 0, errmsg: 'ok', comment_list: [], like_list: [] });
const answer: typeof fetch = async (url) =>
  new Response(String(url).includes('/cgi-bin/gettoken') ? TOKEN_BODY : BODY, {
    headers: { 'content-type': 'application/json' },
  });
const client = createWecomClient({
  corpId: 'wwbench0000000001',
  corpSecret: 'bench-telemetry-secret',
  baseUrl: 'http://127.0.0.1:9',
  rateLimit: { perMinute: 1_000_000 },
  fetch: answer,
});
const input = { moment_id: 'momBench0001', userid: 'member0001' };

for (let index = 0; index < 2_000; index++) await client.call('getMomentComments', input);
const cpuBefore = process.cpuUsage();
for (let index = 0; index < calls; index++) await client.call('getMomentComments', input);
const cpu = process.cpuUsage(cpuBefore);

/** The per-call work of the instrumentation with no provider, a million times over. */
function timeTheCheck(): number | undefined {
  const telemetry = loadTelemetry();
  if (variant !== 'no-provider' || !telemetry) return undefined;
  const op = { operationId: 'getMomentComments', method: 'POST', path: '/x', idempotent: true } as const;
  const events = [
    { type: 'request', operationId: op.operationId, attempt: 1, method: 'POST', path: op.path },
    { type: 'response', operationId: op.operationId, attempt: 1, durationMs: 0, status: 200, errcode: 0 },
  ] as const;
  const clock = { now: () => 0, setTimer: () => () => {} };
  const rounds = 1_000_000;
  const before = process.cpuUsage();
  for (let index = 0; index < rounds; index++) {
    if (telemetry.startCall(op, 'http://127.0.0.1:9', () => {}, clock))
      throw new Error('a provider is registered');
    for (const event of events) telemetry.observe(event);
    for (const event of events) telemetry.observe(event);
  }
  const spent = process.cpuUsage(before);
  return ((spent.user + spent.system) * 1000) / rounds;
}

const checkNanosPerCall = timeTheCheck();
reportResult({
  cpuMicrosPerCall: (cpu.user + cpu.system) / calls,
  ...(checkNanosPerCall !== undefined && { checkNanosPerCall }),
  loaded: loadTelemetry() !== undefined,
} satisfies TelemetryResult);
