// What the pipeline knows of its OpenTelemetry instrumentation: interfaces only, so that an entry
// point without it (the browser's) bundles none of its code.
import type { Clock } from '../clock';
import type { EventSink, TokenOperationId } from '../events';
import type { OperationMeta } from '../operation';

/** The instrumentation of one WeCom call: its span (when tracing) and its metrics (when metering). */
export interface CallTelemetry {
  /** The call's event sink: the transport's, plus span events and metrics. */
  readonly emit: EventSink;
  /** Runs the call with its span as the active context, and ends the span with the outcome. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** What a server span learns while a request is handled. */
export interface ServerSpanNote {
  /** Names the span `<method> <label>`: a low-cardinality template such as a route. */
  name(label: string): void;
  /** Adds what the request is for or came to. */
  set(attributes: Readonly<Record<string, string | number | boolean>>): void;
  /** Why the request was refused. */
  reject(reason: string): void;
}

/** Wraps the one request that fetches a token (gettoken, get_suite_token, …), with its span. */
export type TokenFetchTracer = <T>(
  operationId: TokenOperationId,
  reason: string,
  fetch: () => Promise<T>,
) => Promise<T>;

/**
 * The OpenTelemetry instrumentation, over the global tracer and meter. Every entry point asks
 * per call whether a provider is registered, so an app that registers one after creating its
 * clients is traced from then on, and one that registers none allocates nothing per call.
 */
export interface Telemetry {
  /** Undefined when neither a tracer provider nor a meter provider is registered. */
  startCall(op: OperationMeta, baseUrl: string, emit: EventSink, clock: Clock): CallTelemetry | undefined;
  /** Events that belong to no one call: token refreshes and spec drift. */
  readonly observe: EventSink;
  traceTokenFetch(baseUrl: string): TokenFetchTracer;
  /** Handles a request under a SERVER span, named after its method until `name` names it better. */
  serve(request: Request, handle: (note: ServerSpanNote) => Promise<Response>): Promise<Response>;
}

/** `emit`, with what it reports also seen by the telemetry (token refreshes and spec drift become metrics). */
export function withTelemetry(emit: EventSink, telemetry: Telemetry | undefined): EventSink {
  if (!telemetry) return emit;
  return (event) => {
    emit(event);
    telemetry.observe(event);
  };
}

const IGNORED_NOTE: ServerSpanNote = { name() {}, set() {}, reject() {} };

/** Handles a request under a SERVER span when there is telemetry; else as it is. */
export function serveTraced(
  telemetry: Telemetry | undefined,
  request: Request,
  handle: (note: ServerSpanNote) => Promise<Response>,
): Promise<Response> {
  return telemetry ? telemetry.serve(request, handle) : handle(IGNORED_NOTE);
}
