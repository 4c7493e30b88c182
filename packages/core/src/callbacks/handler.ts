import { createHash } from 'node:crypto';
import { registerSensitiveValue } from '../redact';
import { loadTelemetry } from '../telemetry/load';
import { type ServerSpanNote, serveTraced } from '../telemetry/types';
import { SUITE_TICKET_TTL_MS, type SuiteTicketStore } from '../token/suite-tickets';
import {
  CallbackCryptoError,
  decryptCallbackMessage,
  deriveCallbackKey,
  verifyCallbackSignature,
} from './crypto';
import { type CallbackDedupeStore, createMemoryDedupeStore } from './dedupe';
import {
  type CallbackMessage,
  type CommandCallbackMap,
  type CommandCallbackName,
  type CustomerContactEventMap,
  type CustomerContactEventName,
  commandCallbackName,
  customerContactEventName,
  type UnrecognizedCallbackMessage,
} from './events';
import { CallbackXmlError, parseCallbackMessage, readEncryptedEnvelope } from './xml';

export interface CallbackDelivery {
  /** Which customer-contact event or command callback this is; undefined for any other message. */
  name: CustomerContactEventName | CommandCallbackName | undefined;
  /** The decrypted XML as WeCom sent it, for audit logs. */
  xml: string;
}

type Awaitable<T> = T | Promise<T>;
type MessageHandler = (message: CallbackMessage, delivery: CallbackDelivery) => Awaitable<void>;

export type CallbackHandlers = {
  [Name in CustomerContactEventName]?: (
    event: CustomerContactEventMap[Name],
    delivery: CallbackDelivery,
  ) => Awaitable<void>;
} & {
  [Name in CommandCallbackName]?: (
    callback: CommandCallbackMap[Name],
    delivery: CallbackDelivery,
  ) => Awaitable<void>;
} & {
  /** Every verified message, after its specific handler: the events above and anything else WeCom sends. */
  event?: MessageHandler;
};

export type CallbackRejectionReason =
  | 'method'
  | 'malformed'
  | 'too-large'
  | 'signature'
  | 'stale'
  | 'receive-id';

export interface CallbackRejection {
  reason: CallbackRejectionReason;
  status: number;
  /** Why, in words safe to log: never a key, a token or message content. */
  detail: string;
}

export interface CallbackDedupeOptions {
  /** Default: an in-memory store; pass a shared one when several processes receive callbacks. */
  store?: CallbackDedupeStore;
  /** How long a delivery is remembered. Default: twice `maxSkewSeconds`, the span in which a copy is still accepted. */
  ttlSeconds?: number;
}

export interface CallbackHandlerOptions {
  /** The corp id of an app's event URL; messages encrypted for another receive id are refused. Or: */
  corpId?: string;
  /**
   * The suite id (or customized-app template id) of a suite's command callback URL, which WeCom
   * encrypts command callbacks for. Messages encrypted for another receive id are refused.
   */
  suiteId?: string;
  /** With suiteId: where each suite_ticket is stored, for the suite's token source (createSuite's `tickets`). */
  suiteTickets?: SuiteTicketStore;
  /** The Token of the callback settings. */
  token: string;
  /** The 43-character EncodingAESKey of the callback settings. */
  encodingAESKey: string;
  on: CallbackHandlers;
  /** Larger bodies are refused with 413 before they are read in full. Default 64 KiB. */
  maxBodyBytes?: number;
  /** How far the signed `timestamp` may be from now, in seconds. Default 300; `Infinity` turns the check off. */
  maxSkewSeconds?: number;
  /** Recognise WeCom's repeated deliveries and deliver them once. On by default; `false` turns it off. */
  dedupe?: false | CallbackDedupeOptions;
  /**
   * How long to wait for the handlers before answering. WeCom gives up after 5 seconds and sends
   * the event again, so a slow handler is left running and WeCom gets its answer. Default 3000 ms.
   */
  replyWithinMs?: number;
  /** Called for every refused request, for logging and metrics. */
  onRejected?: (rejection: CallbackRejection) => void;
  /** Called when a handler fails (or the dedupe store does). Default: `console.error`. */
  onError?: (error: unknown, delivery: CallbackDelivery | undefined) => void;
}

const STATUS: Record<CallbackRejectionReason, number> = {
  method: 405,
  malformed: 400,
  'too-large': 413,
  signature: 401,
  stale: 401,
  'receive-id': 403,
};

class Rejected extends Error {
  constructor(
    readonly reason: CallbackRejectionReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
/** Spans are named `POST wecom callback`: the path the handler is mounted on is the app's. */
const SPAN_LABEL = 'wecom callback';
const TIMESTAMP = /^\d{1,12}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A fetch-standard handler for an app's callback URL or a suite's command callback URL: answers
 * WeCom's URL verification (GET), verifies, decrypts and dispatches POSTs (answering `success`, as
 * WeCom expects), stores each suite_ticket in `suiteTickets`, and refuses anything it cannot
 * authenticate without calling a handler.
 */
export function createCallbackHandler(
  options: CallbackHandlerOptions,
): (request: Request) => Promise<Response> {
  const { token, on, suiteTickets } = options;
  const receiveId = options.suiteId ?? options.corpId;
  /** A suite's command URL receives command callbacks (InfoType); an app's event URL, events. */
  const callbackKind = options.suiteId ? 'command' : 'event';
  if (!token) throw new TypeError('token is required: the Token of the callback settings.');
  if (!receiveId || (options.suiteId && options.corpId)) {
    throw new TypeError(
      "Pass one of corpId (an app's event URL) or suiteId (a suite's command URL): the receive id WeCom encrypts for.",
    );
  }
  if (suiteTickets && !options.suiteId) {
    throw new TypeError('suiteTickets needs suiteId: suite tickets arrive at the command URL of a suite.');
  }
  const key = deriveCallbackKey(options.encodingAESKey);
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  const replyWithinMs = options.replyWithinMs ?? 3000;
  const dedupe =
    options.dedupe === false
      ? undefined
      : {
          store: options.dedupe?.store ?? createMemoryDedupeStore(),
          // A copy is accepted while its signed timestamp is within maxSkewSeconds either side of
          // now, so remembering a delivery that long catches every copy that would get through.
          ttlSeconds:
            options.dedupe?.ttlSeconds ?? (Number.isFinite(maxSkewSeconds) ? 2 * maxSkewSeconds : 24 * 3600),
        };
  const reportError =
    options.onError ?? ((error) => console.error('wecom-kit: callback handler failed', error));

  const authenticate = (params: URLSearchParams, encrypted: string) => {
    const signature = params.get('msg_signature') ?? '';
    const timestamp = params.get('timestamp') ?? '';
    const nonce = params.get('nonce') ?? '';
    if (!verifyCallbackSignature(signature, { token, timestamp, nonce, encrypted })) {
      throw new Rejected('signature', 'msg_signature does not match');
    }
  };

  const open = (encrypted: string): string => {
    let decrypted: { message: string; receiveId: string };
    try {
      decrypted = decryptCallbackMessage(encrypted, key);
    } catch (error) {
      if (error instanceof CallbackCryptoError) throw new Rejected('malformed', error.message);
      throw error;
    }
    if (decrypted.receiveId !== receiveId)
      throw new Rejected('receive-id', 'the message was encrypted for another receive id');
    return decrypted.message;
  };

  const checkQuery = (params: URLSearchParams) => {
    for (const name of ['msg_signature', 'timestamp', 'nonce']) {
      if (!params.get(name)) throw new Rejected('malformed', `the ${name} query parameter is missing`);
    }
    const timestamp = params.get('timestamp') ?? '';
    if (!TIMESTAMP.test(timestamp)) throw new Rejected('malformed', 'timestamp is not unix seconds');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > maxSkewSeconds) {
      throw new Rejected('stale', 'timestamp is too far from now (stale or replayed)');
    }
  };

  const verifyUrl = (params: URLSearchParams): Response => {
    // WeCom sends echostr URL-encoded; a proxy that decodes `+` as a space would otherwise break
    // the signature, and base64 has no spaces.
    const echo = (params.get('echostr') ?? '').replaceAll(' ', '+');
    if (!echo) throw new Rejected('malformed', 'the echostr query parameter is missing');
    authenticate(params, echo);
    return new Response(open(echo), { status: 200, headers: TEXT });
  };

  const receive = async (
    request: Request,
    params: URLSearchParams,
    span: ServerSpanNote,
  ): Promise<Response> => {
    const body = await readBody(request, maxBodyBytes);
    const encrypted = xmlStep(() => readEncryptedEnvelope(body));
    authenticate(params, encrypted);
    const xml = open(encrypted);
    const message = xmlStep(() => parseCallbackMessage(xml));
    const delivery: CallbackDelivery = {
      name: customerContactEventName(message) ?? commandCallbackName(message),
      xml,
    };
    // Only the names wecom-kit knows: anything else WeCom sends counts as one low-cardinality "other".
    span.set({ 'wecom.callback.kind': callbackKind, 'wecom.callback.event': delivery.name ?? 'other' });

    const dedupeKey = `wecom:callback:${receiveId}:${fingerprint(message)}`;
    if (!(await claim(dedupeKey, delivery))) {
      span.set({ 'wecom.callback.duplicate': true });
      return acknowledged();
    }

    const work = dispatch(message, delivery);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      // setTimeout treats delays beyond 2^31 - 1 ms (Infinity included) as 1 ms.
      timer = setTimeout(resolve, Math.min(replyWithinMs, 2 ** 31 - 1), 'late');
    });
    try {
      const outcome = await Promise.race([work.then(() => 'done' as const), late]);
      if (outcome === 'late') work.catch((error: unknown) => reportError(error, delivery));
      return acknowledged();
    } catch (error) {
      reportError(error, delivery);
      // Forgetting the delivery and answering 500 makes WeCom's retry deliver the event again.
      if (dedupe) {
        await Promise.resolve()
          .then(() => dedupe.store.release(dedupeKey))
          .catch((releaseError: unknown) => reportError(releaseError, delivery));
      }
      return new Response('handler failed', { status: 500, headers: TEXT });
    } finally {
      clearTimeout(timer);
    }
  };

  /** True when the delivery is new and must be dispatched. */
  const claim = async (dedupeKey: string, delivery: CallbackDelivery) => {
    if (!dedupe) return true;
    try {
      return await dedupe.store.claim(dedupeKey, dedupe.ttlSeconds);
    } catch (error) {
      // A store that is down must not lose events: deliver, at the risk of a duplicate.
      reportError(error, delivery);
      return true;
    }
  };

  const dispatch = async (message: CallbackMessage, delivery: CallbackDelivery) => {
    await keepSecrets(message as UnrecognizedCallbackMessage, delivery);
    const specific =
      delivery.name === undefined ? undefined : (on[delivery.name] as MessageHandler | undefined);
    if (specific) await specific.call(on, message, delivery);
    if (on.event) await on.event(message, delivery);
  };

  /** A ticket or an authorization code is a credential: redacted from now on, and the ticket stored. */
  const keepSecrets = async (message: UnrecognizedCallbackMessage, delivery: CallbackDelivery) => {
    const expiresAt = Date.now() + SUITE_TICKET_TTL_MS;
    if (delivery.name === 'suiteTicket') {
      // Routed as suiteTicket, so the field is a string.
      const ticket = String(message.SuiteTicket);
      registerSensitiveValue(ticket, { expiresAt });
      await suiteTickets?.set(receiveId, ticket);
    }
    if (delivery.name === 'createAuth' || delivery.name === 'resetPermanentCode') {
      registerSensitiveValue(String(message.AuthCode), { expiresAt });
    }
  };

  const handle = async (request: Request, span: ServerSpanNote): Promise<Response> => {
    span.name(SPAN_LABEL);
    try {
      const params = new URL(request.url).searchParams;
      if (request.method !== 'GET' && request.method !== 'POST') {
        throw new Rejected('method', `${request.method} is not used by WeCom callbacks`);
      }
      checkQuery(params);
      if (request.method === 'GET') {
        span.set({ 'wecom.callback.kind': 'url-verification' });
        return verifyUrl(params);
      }
      return await receive(request, params, span);
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      span.reject(error.reason);
      const rejection = { reason: error.reason, status: STATUS[error.reason], detail: error.detail };
      options.onRejected?.(rejection);
      const headers = error.reason === 'method' ? { ...TEXT, allow: 'GET, POST' } : TEXT;
      return new Response(rejection.detail, { status: rejection.status, headers });
    }
  };

  // A SERVER span per request when a tracer provider is registered: the kind of message, the event
  // name and why it was refused, never the query (it holds the signature) or the body.
  const telemetry = loadTelemetry();
  return (request) => serveTraced(telemetry, request, (span) => handle(request, span));
}

function acknowledged(): Response {
  return new Response('success', { status: 200, headers: TEXT });
}

function xmlStep<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof CallbackXmlError) throw new Rejected('malformed', error.message);
    throw error;
  }
}

/** Reads at most `limit` bytes, refusing early on a declared or actual excess. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new Rejected('too-large', `the body exceeds ${limit} bytes`);
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Rejected('too-large', `the body exceeds ${limit} bytes`);
    }
    chunks.push(value);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new Rejected('malformed', 'the body is not UTF-8');
  }
}

/**
 * The identity of a delivery. WeCom's advice for events is FromUserName + CreateTime, but
 * customer-contact events all come from `sys`, so two customers added in the same second would
 * collide; the whole decrypted message is what a retry repeats and a different event does not.
 * The random prefix of the ciphertext is excluded, so a re-encrypted retry still matches.
 */
function fingerprint(message: CallbackMessage): string {
  const canonical = JSON.stringify(message, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}
