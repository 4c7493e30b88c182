import {
  type CallOptions,
  type OperationMeta,
  type RequestInput,
  type Transport,
  type TransportOptions,
  WecomConfigError,
  type WecomEvent,
} from '@wecom-kit/core';
import { createEventSink, type Telemetry, withTelemetry } from '@wecom-kit/core/internal';

export interface SpecCheckOptions {
  /** The share of success bodies compared with the spec, from 0 (none) to 1 (every one). */
  sampleRate: number;
  /** Draws the number in [0, 1) that decides whether a body is sampled. Default: Math.random. */
  random?: () => number;
}

/** Called with every success body; samples it and reports drift through `onEvent`. Never throws. */
export type ResponseCheck = (operationId: string, body: unknown) => void;

type Listener = (event: WecomEvent) => void;

/**
 * Drift already reported, per listener: each (operation, pointer, kind) reaches a listener once
 * per process, however many clients share it. Capped, so that a body full of unknown keys cannot
 * grow it without bound.
 */
const reportedByListener = new WeakMap<Listener, Set<string>>();
const MAX_REPORTED = 1_000;
/** Bodies kept for checking while the table loads; beyond this, a burst of calls goes unsampled. */
const MAX_WAITING = 32;

type ShapeCheckModule = typeof import('./shape-check');
let shapeCheck: Promise<ShapeCheckModule> | undefined;

// The schema table is large: it is loaded, once per process, by the first client that asks.
function loadShapeCheck(): Promise<ShapeCheckModule> {
  shapeCheck ??= import('./shape-check');
  return shapeCheck;
}

export function createSpecCheck(
  options: SpecCheckOptions,
  onEvent: Listener | undefined,
  telemetry?: Telemetry,
): ResponseCheck {
  const { sampleRate, random = Math.random } = options;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1)) {
    throw new WecomConfigError({
      message: `specCheck.sampleRate is ${String(sampleRate)}; pass a number from 0 (check nothing) to 1 (check every success body).`,
    });
  }
  if (!onEvent) {
    throw new WecomConfigError({
      message: "specCheck reports drift as 'spec-drift' events: pass onEvent as well.",
    });
  }
  let reported = reportedByListener.get(onEvent);
  if (!reported) {
    reported = new Set();
    reportedByListener.set(onEvent, reported);
  }
  const seen = reported;
  const emit = withTelemetry(createEventSink(onEvent), telemetry);
  let loaded: ShapeCheckModule | undefined;
  let waiting = 0;
  const loading = loadShapeCheck().then((module) => {
    loaded = module;
    return module;
  });
  // A failed load only means no drift is reported; it must never surface as an unhandled rejection.
  loading.catch(() => {});

  function check(module: ShapeCheckModule, operationId: string, body: unknown): void {
    module.findDrift(operationId, body, (pointer, kind) => {
      const key = `${operationId} ${kind} ${pointer}`;
      if (seen.has(key) || seen.size >= MAX_REPORTED) return;
      seen.add(key);
      emit({ type: 'spec-drift', operationId, pointer, kind });
    });
  }

  return (operationId, body) => {
    if (sampleRate === 0 || random() >= sampleRate) return;
    try {
      if (loaded) {
        check(loaded, operationId, body);
        return;
      }
      // Only while the table loads: the caller owns the body and may change it before then.
      if (waiting >= MAX_WAITING) return;
      waiting += 1;
      const copy = structuredClone(body);
      loading
        .then((module) => check(module, operationId, copy))
        .catch(() => {})
        .finally(() => {
          waiting -= 1;
        });
    } catch {
      // A check that breaks must never fail the call it samples.
    }
  };
}

/**
 * The transport, with every success body it returns offered to the `specCheck` of `options`;
 * the transport itself when there is none, so that a client without it pays nothing.
 */
export function withSpecCheck(
  transport: Transport,
  options: Pick<TransportOptions, 'onEvent'> & { specCheck?: SpecCheckOptions },
  telemetry?: Telemetry,
): Transport {
  if (!options.specCheck) return transport;
  const check = createSpecCheck(options.specCheck, options.onEvent, telemetry);
  return {
    ...transport,
    async request<T>(op: OperationMeta, input: RequestInput, callOptions?: CallOptions): Promise<T> {
      const body = await transport.request<T>(op, input, callOptions);
      check(op.operationId, body);
      return body;
    },
    async exchange(op, input, callOptions) {
      const answer = await transport.exchange(op, input, callOptions);
      if (answer.body.errcode === 0) check(op.operationId, answer.body);
      return answer;
    },
  };
}
