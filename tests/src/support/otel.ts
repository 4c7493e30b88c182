// An application's OpenTelemetry setup, as a test sees it: a tracer provider with the in-memory
// exporter, a meter provider with a reader collected on demand, and AsyncLocalStorage context
// and the W3C trace-context propagator (what NodeSDK registers). The app's ESM copy of @opentelemetry/api is this file's; wecom-kit
// loads its own copy through createRequire, so every test also proves the two share the globals.
import { type Attributes, context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface MetricPoint {
  name: string;
  attributes: Attributes;
  /** A counter's sum, or a histogram's count. */
  value: number;
  /** A histogram's sum. */
  sum?: number;
}

export interface RegisteredOtel {
  readonly exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  span(name: string): ReadableSpan;
  points(name?: string): Promise<MetricPoint[]>;
  /** Forgets the spans exported so far and starts metrics afresh. */
  reset(): Promise<void>;
  /** Unregisters the providers, as an app that never registered any. */
  unregister(): void;
}

/** Registers global providers the way an app does at start-up. */
export function registerOtel(): RegisteredOtel {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  let reader = new OnDemandReader();
  const install = () => {
    reader = new OnDemandReader();
    metrics.disable();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  };
  install();
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const found = exporter.getFinishedSpans().filter((span) => span.name === name);
      if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length}`);
      return found[0] as ReadableSpan;
    },
    async points(name) {
      const { resourceMetrics } = await reader.collect();
      const points: MetricPoint[] = [];
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (name !== undefined && metric.descriptor.name !== name) continue;
          for (const point of metric.dataPoints as DataPoint<number | Histogram>[]) {
            const value = point.value;
            points.push(
              typeof value === 'number'
                ? { name: metric.descriptor.name, attributes: point.attributes, value }
                : {
                    name: metric.descriptor.name,
                    attributes: point.attributes,
                    value: value.count,
                    sum: value.sum,
                  },
            );
          }
        }
      }
      return points;
    },
    async reset() {
      exporter.reset();
      install();
    },
    unregister() {
      trace.disable();
      metrics.disable();
    },
  };
}

/** Every string a span or a metric point exposes: names, attributes, events, status, links. */
export function exposedBy(spans: readonly ReadableSpan[], points: readonly MetricPoint[]): unknown[] {
  return [
    ...spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      status: span.status,
      scope: span.instrumentationScope,
    })),
    ...points,
  ];
}
