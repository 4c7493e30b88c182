import { WecomHttpError } from './errors';

/** A WeCom answer: errcode and errmsg next to the business fields, which are all kept. */
export type WecomBody = Record<string, unknown> & { errcode: number; errmsg: string };

export interface HttpRequest {
  fetch: typeof fetch;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Sends one request and reads the whole answer as text; fetch's own errors pass through unchanged. */
export async function sendHttp({ fetch, method, url, body, signal }: HttpRequest): Promise<HttpAnswer> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (signal) init.signal = signal;
  if (method === 'POST') {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

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
  const trimmed = text.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (!ok) return fail('status');
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

export function failedBeforeSending(code: string | undefined): boolean {
  return code !== undefined && CONNECT_FAILURE_CODES.has(code);
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
