import type * as Otel from '@opentelemetry/api';
import { version } from '../../package.json';
import type { WecomEvent } from '../events';
import { redact } from '../redact';
import { TOKEN_ENDPOINTS } from '../token/issuer';
import { createInstruments, type Instruments } from './instruments';
import { type ServerSpanNote, serveTraced, type Telemetry } from './types';

/** The instrumentation scope of every span and metric. */
export const INSTRUMENTATION_SCOPE = '@wecom-kit/core';

export function createTelemetry(api: typeof Otel): Telemetry {
  const { trace, metrics, context, propagation, SpanKind, SpanStatusCode } = api;
  const noTracerProvider = new api.ProxyTracerProvider().getDelegate();
  const noMeter = api.createNoopMeter();
  let tracing: { provider: Otel.TracerProvider; tracer: Otel.Tracer } | undefined;
  let metering: { provider: Otel.MeterProvider; instruments: Instruments | undefined } | undefined;

  /** The tracer of the registered provider, or undefined (no allocation) when none is registered. */
  function currentTracer(): Otel.Tracer | undefined {
    const global = trace.getTracerProvider() as Otel.TracerProvider & {
      getDelegate?: () => Otel.TracerProvider;
    };
    const provider = global.getDelegate ? global.getDelegate() : global;
    if (provider === noTracerProvider) return undefined;
    if (tracing?.provider !== provider)
      tracing = { provider, tracer: provider.getTracer(INSTRUMENTATION_SCOPE, version) };
    return tracing.tracer;
  }

  function currentInstruments(): Instruments | undefined {
    const provider = metrics.getMeterProvider();
    if (metering?.provider !== provider) {
      const meter = provider.getMeter(INSTRUMENTATION_SCOPE, version);
      metering = { provider, instruments: meter === noMeter ? undefined : createInstruments(meter) };
    }
    return metering.instruments;
  }

  /** ERROR status, error.type and an exception event, each redacted (tokens and secrets are registered with redact). */
  function recordFailure(
    span: Otel.Span,
    error: { name: string; message: string; stack?: string | undefined },
  ): void {
    const message = redact(error.message);
    span.recordException({ name: error.name, message, ...(error.stack && { stack: redact(error.stack) }) });
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  return {
    startCall(op, baseUrl, emit, clock) {
      const tracer = currentTracer();
      const instruments = currentInstruments();
      if (!tracer && !instruments) return undefined;
      const span = tracer?.startSpan(op.operationId, {
        kind: SpanKind.CLIENT,
        attributes: {
          'wecom.operation_id': op.operationId,
          'http.request.method': op.method,
          ...serverAttributes(baseUrl),
          'url.path': op.path,
        },
      });
      const started = clock.now();
      let attempts = 1;
      let errcode: number | undefined;

      function see(event: WecomEvent): void {
        switch (event.type) {
          case 'request':
            attempts = Math.max(attempts, event.attempt);
            return;
          case 'response':
            errcode = event.errcode;
            return;
          case 'retry': {
            attempts = Math.max(attempts, event.attempt + 1);
            const reason = { 'wecom.operation_id': op.operationId, 'wecom.retry.reason': event.reason };
            span?.addEvent('wecom.retry', {
              'wecom.attempt': event.attempt,
              'wecom.retry.reason': event.reason,
              'wecom.retry.delay_ms': event.delayMs,
              ...(event.errcode !== undefined && { 'wecom.errcode': event.errcode }),
            });
            instruments?.retries.add(1, reason);
            return;
          }
          case 'rate-limited': {
            // A 45009 answer sets a pause (its length is waitMs); every other event is time spent waiting.
            const paused = event.errcode === 45009;
            span?.addEvent(paused ? 'wecom.rate_limit.pause' : 'wecom.rate_limit.wait', {
              'wecom.attempt': event.attempt,
              'wecom.rate_limit.reason': event.reason,
              [paused ? 'wecom.rate_limit.pause_ms' : 'wecom.rate_limit.wait_ms']: event.waitMs,
            });
            if (!paused) {
              instruments?.rateLimitWait.record(event.waitMs / 1000, {
                'wecom.operation_id': op.operationId,
                'wecom.rate_limit.reason': event.reason,
              });
            }
            return;
          }
        }
      }

      function end(error: unknown): void {
        const failed = error !== undefined || (errcode !== undefined && errcode !== 0);
        const type = error !== undefined ? errorType(error) : failed ? 'WecomError' : undefined;
        const attributes: Otel.Attributes = {
          'wecom.operation_id': op.operationId,
          ...(errcode !== undefined && { 'wecom.errcode': errcode }),
          ...(type !== undefined && { 'error.type': type }),
        };
        instruments?.calls.add(1, attributes);
        instruments?.duration.record((clock.now() - started) / 1000, attributes);
        if (!span) return;
        span.setAttribute('wecom.attempts', attempts);
        if (errcode !== undefined) span.setAttribute('wecom.errcode', errcode);
        if (error !== undefined) recordFailure(span, described(error));
        // request() throws this answer as a WecomError after the span; the path API returns it as `error`.
        else if (failed)
          recordFailure(span, { name: 'WecomError', message: `WeCom answered errcode ${errcode}` });
        span.end();
      }

      return {
        emit(event) {
          emit(event);
          see(event);
        },
        run(work) {
          const running = span ? context.with(trace.setSpan(context.active(), span), work) : work();
          return running.then(
            (value) => {
              end(undefined);
              return value;
            },
            (error: unknown) => {
              end(error ?? new Error('rejected without a reason'));
              throw error;
            },
          );
        },
      };
    },

    observe(event) {
      if (event.type !== 'token-refresh' && event.type !== 'spec-drift') return;
      const instruments = currentInstruments();
      // The active span: the call that waited for the token, or the caller that got the drifted body.
      const span = currentTracer() && trace.getActiveSpan();
      if (event.type === 'token-refresh') {
        const attributes = {
          'wecom.operation_id': event.operationId,
          'wecom.token.refresh_reason': event.reason,
          'wecom.token.outcome': event.outcome,
        };
        instruments?.tokenRefreshes.add(1, attributes);
        span?.addEvent('wecom.token_refresh', {
          ...attributes,
          'wecom.token.duration_ms': event.durationMs,
          ...(event.errcode !== undefined && { 'wecom.errcode': event.errcode }),
        });
        return;
      }
      const attributes = { 'wecom.operation_id': event.operationId, 'wecom.spec_drift.kind': event.kind };
      instruments?.specDrift.add(1, attributes);
      span?.addEvent('wecom.spec_drift', { ...attributes, 'wecom.spec_drift.pointer': event.pointer });
    },

    traceTokenFetch(baseUrl) {
      const server = serverAttributes(baseUrl);
      return (operationId, reason, fetch) => {
        const tracer = currentTracer();
        if (!tracer) return fetch();
        const { method, path } = TOKEN_ENDPOINTS[operationId];
        const attributes = {
          'wecom.operation_id': operationId,
          'http.request.method': method,
          ...server,
          'url.path': path,
          'wecom.token.refresh_reason': reason,
        };
        return tracer.startActiveSpan(operationId, { kind: SpanKind.CLIENT, attributes }, (span) =>
          fetch().then(
            (value) => {
              span.end();
              return value;
            },
            (error: unknown) => {
              const errcode = (error as { errcode?: unknown } | undefined)?.errcode;
              if (typeof errcode === 'number') span.setAttribute('wecom.errcode', errcode);
              recordFailure(span, described(error));
              span.end();
              throw error;
            },
          ),
        );
      };
    },

    async serve(request, handle) {
      const tracer = currentTracer();
      if (!tracer) return serveTraced(undefined, request, handle);
      // Under the app's own HTTP server span when there is one, else under the caller's trace context.
      const parent = trace.getSpan(context.active())
        ? context.active()
        : propagation.extract(context.active(), request.headers, HEADERS_GETTER);
      const url = new URL(request.url);
      const span = tracer.startSpan(
        request.method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'url.path': url.pathname,
            'url.scheme': url.protocol.slice(0, -1),
          },
        },
        parent,
      );
      const note: ServerSpanNote = {
        name(label) {
          span.updateName(`${request.method} ${label}`);
        },
        set(attributes) {
          span.setAttributes(attributes);
        },
        reject(reason) {
          span.setAttribute('wecom.rejection', reason);
        },
      };
      try {
        const response = await context.with(trace.setSpan(parent, span), () => handle(note));
        span.setAttribute('http.response.status_code', response.status);
        // On a server span only 5xx is the server's failure; 4xx is the client's.
        if (response.status >= 500) {
          span.setAttribute('error.type', String(response.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      } catch (error) {
        recordFailure(span, described(error));
        throw error;
      } finally {
        span.end();
      }
    },
  };
}

const HEADERS_GETTER: Otel.TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

// A process talks to one or a few base URLs: their attributes are parsed once.
const serverAttributesByBaseUrl = new Map<string, Otel.Attributes>();

/** server.address and server.port of a base URL (never its path or query). */
function serverAttributes(baseUrl: string): Otel.Attributes {
  let attributes = serverAttributesByBaseUrl.get(baseUrl);
  if (!attributes) {
    const url = new URL(baseUrl);
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
    attributes = { 'server.address': url.hostname, 'server.port': port };
    if (serverAttributesByBaseUrl.size < 64) serverAttributesByBaseUrl.set(baseUrl, attributes);
  }
  return attributes;
}

/** The class of an error (WecomTimeoutError, AbortError, …): low-cardinality, and never holds a value. */
function errorType(error: unknown): string {
  return error instanceof Error ? error.name || error.constructor.name : typeof error;
}

function described(error: unknown): { name: string; message: string; stack?: string | undefined } {
  if (!(error instanceof Error)) return { name: errorType(error), message: String(error) };
  return { name: errorType(error), message: error.message, stack: error.stack };
}
