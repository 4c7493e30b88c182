import { startTimer } from './abort';
import { WecomHttpError } from './errors';

/** A WeCom answer: errcode and errmsg next to the business fields, which are all kept. */
export type WecomBody = Record<string, unknown> & { errcode: number; errmsg: string };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Sent as JSON with a POST. */
  body?: unknown;
  /** The whole exchange, answer body included, fails with a TimeoutError after this long. */
  timeoutMs: number;
  /** The caller's signal: aborting it ends the exchange with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** A wecom-kit proxy answered and had already retried the call (see PROXY_RETRIED_HEADER). */
  retried?: boolean;
}

/**
 * Set by createWecomProxy on answers its server-side client already retried (or that must not be
 * retried, like its per-caller 429): a browser that retried them too would multiply the calls.
 */
export const PROXY_RETRIED_HEADER = 'x-wecom-kit-retried';

/**
 * Sends one request and reads the whole answer as text. It rejects with the caller's abort reason,
 * with a TimeoutError (see isTimeoutError), or with the network stack's error; one it marks
 * `notSent: true` says the request certainly never left (see failedBeforeSending).
 */
export type HttpSend = (request: HttpRequest) => Promise<HttpAnswer>;

const GET_HEADERS = { accept: 'application/json' };
const POST_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/** An HttpSend over a fetch function: the browser's, a test's, or the global one. */
export function fetchSend(fetchImpl: typeof fetch): HttpSend {
  return async ({ method, url, body, timeoutMs, signal }) => {
    const timer = startTimer(timeoutMs, signal, 'The HTTP exchange');
    try {
      // One object shape for every call keeps fetch's own code monomorphic.
      const response = await fetchImpl(url, {
        method,
        headers: method === 'POST' ? POST_HEADERS : GET_HEADERS,
        body: method === 'POST' ? JSON.stringify(body ?? {}) : null,
        signal: timer.signal,
      });
      return {
        status: response.status,
        text: await response.text(),
        retried: response.headers.has(PROXY_RETRIED_HEADER),
      };
    } finally {
      timer.end();
    }
  };
}

/**
 * fetchSend over the global fetch, looked up at each call: browsers throw "Illegal invocation"
 * when fetch is called detached from globalThis.
 */
export const globalFetchSend: HttpSend = /* @__PURE__ */ fetchSend((input, init) =>
  globalThis.fetch(input, init),
);

/** Turns an HTTP answer into a WeCom body, or throws a WecomHttpError that says what came instead. */
export function parseWecomAnswer({ status, text }: HttpAnswer, operationId?: string): WecomBody {
  const fail = (reason: WecomHttpError['reason']): never => {
    throw new WecomHttpError({
      status,
      body: text,
      reason,
      ...(operationId !== undefined && { operationId }),
    });
  };
  const ok = status >= 200 && status < 300;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (!ok) return fail('status');
    const trimmed = text.trim();
    if (trimmed.startsWith('<')) return fail('html');
    return fail(trimmed.startsWith('{') || trimmed.startsWith('[') ? 'truncated' : 'not-json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return fail(ok ? 'unexpected-body' : 'status');
  const body = parsed as Record<string, unknown>;
  // A proxy may relay WeCom's answer with its own status; an errcode still says what happened.
  if (typeof body.errcode !== 'number') return fail(ok ? 'unexpected-body' : 'status');
  if (typeof body.errmsg !== 'string') body.errmsg = '';
  return body as WecomBody;
}

// Failures that happen while connecting: the request never left, so even a write may be sent again.
const CONNECT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The error code of a failed fetch (undici wraps the socket error in `cause`). */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * True when the request certainly never left: a failure to connect, or an error its sender marked
 * `notSent` (a TLS certificate refused during the handshake, say). Even a write may be sent again.
 */
export function failedBeforeSending(error: unknown): boolean {
  const code = networkErrorCode(error);
  return (
    (code !== undefined && CONNECT_FAILURE_CODES.has(code)) ||
    (error as { notSent?: unknown } | undefined)?.notSent === true
  );
}

/** URL = baseUrl + path + query; undefined and null values are left out. */
export function buildUrl(baseUrl: string, path: string, query: Record<string, unknown> | undefined): string {
  const url = new URL(baseUrl + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    url.searchParams.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return url.toString();
}
