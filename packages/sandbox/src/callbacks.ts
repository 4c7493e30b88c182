import {
  type CallbackMessageFields,
  type CustomerContactEvent,
  deriveCallbackKey,
  sealCallbackMessage,
} from '@wecom-kit/core/callbacks';
import type { SandboxStats } from './stats';
import { toSeconds } from './time';

/** Where and how the sandbox delivers events: the app's callback URL and its callback settings. */
export interface CallbackTarget {
  url: string;
  token: string;
  encodingAESKey: string;
  /** The receiving app's AgentID, which WeCom puts in the envelope of app callbacks. */
  agentId?: number;
}

/** The AgentID of the self-built app the sandbox plays, unless the target names another. */
export const SANDBOX_AGENT_ID = 1_000_002;

type EnvelopeField = 'ToUserName' | 'FromUserName' | 'CreateTime' | 'MsgType';
/** An event as handlers describe it; the delivery adds the fields every event carries. */
export type SandboxEvent = CustomerContactEvent extends infer Event
  ? Event extends CustomerContactEvent
    ? Omit<Event, EnvelopeField>
    : never
  : never;

/** WeCom gives up on an answer after 5 seconds. */
const ANSWER_TIMEOUT_MS = 5_000;
/**
 * Pauses before each redelivery. WeCom's callback page: an unanswered push is sent again, three
 * more times in all; the pauses are not documented.
 */
const RETRY_DELAYS_MS = [1_000, 1_000, 1_000] as const;

export interface CallbackSender {
  /** Queues the events; never waits for the app, so the API answer is not held up. */
  emit(events: readonly SandboxEvent[]): void;
  /** Resolves when every queued delivery has succeeded or given up (tests, close). */
  idle(): Promise<void>;
}

export function createCallbackSender(
  target: CallbackTarget | undefined,
  corpId: string,
  stats: SandboxStats,
  now: () => number,
): CallbackSender {
  const queue = createDeliveryQueue(
    target,
    { receiveId: corpId, agentId: target?.agentId ?? SANDBOX_AGENT_ID },
    stats,
  );
  return {
    emit(events) {
      // The XML (CreateTime included) is fixed once, so every retry carries the same message and the
      // app can recognise the copies; only the encryption and signature are fresh each time, as WeCom's are.
      for (const event of events) {
        queue.enqueue({
          ToUserName: corpId,
          FromUserName: 'sys',
          CreateTime: toSeconds(now()),
          MsgType: 'event',
          ...event,
        });
      }
    },
    idle: queue.idle,
  };
}

/** How a message is sealed: the receive id inside the encryption, and the envelope's AgentID if any. */
export interface SealingIdentity {
  receiveId: string;
  /** Command callbacks carry an empty AgentID. */
  agentId?: number | '';
}

/** Deliveries to one URL, each retried like WeCom's, none waited for by the caller. */
export interface DeliveryQueue {
  enqueue(message: CallbackMessageFields): void;
  idle(): Promise<void>;
}

export function createDeliveryQueue(
  target: CallbackTarget | undefined,
  identity: SealingIdentity,
  stats: SandboxStats,
): DeliveryQueue {
  // A bad key fails the sandbox's start, not every delivery later.
  if (target) deriveCallbackKey(target.encodingAESKey);
  const inFlight = new Set<Promise<void>>();
  const deliver = async (message: CallbackMessageFields): Promise<void> => {
    if (!target) return;
    for (let attempt = 0; ; attempt++) {
      if (await post(target, message, identity)) {
        stats.callbacks.delivered++;
        return;
      }
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        stats.callbacks.failed++;
        return;
      }
      stats.callbacks.retried++;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  return {
    enqueue(message) {
      const job = deliver(message).catch(() => {
        stats.callbacks.failed++;
      });
      inFlight.add(job);
      job.finally(() => inFlight.delete(job));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** One attempt: true only for a 200 within the deadline, as WeCom counts success. */
async function post(
  target: CallbackTarget,
  message: CallbackMessageFields,
  identity: SealingIdentity,
): Promise<boolean> {
  const { query, body } = sealCallbackMessage(message, {
    token: target.token,
    encodingAESKey: target.encodingAESKey,
    corpId: identity.receiveId,
    agentId: identity.agentId,
  });
  const url = new URL(target.url);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status === 200;
  } catch {
    return false;
  }
}
