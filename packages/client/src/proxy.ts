import {
  type CallOptions,
  redact,
  WecomConfigError,
  WecomError,
  WecomKitError,
  WecomTimeoutError,
  WecomValidationError,
} from '@wecom-kit/core';
import type { WecomClient } from './client';
import { operations } from './generated/operations';
import type { OperationSpec } from './table';
import type { OperationId } from './types';

export interface WecomProxyOptions {
  /** A server-side client, created with corpId and corpSecret: it adds the access token the browser never sees. */
  client: WecomClient;
  /** `'read'` (the default) forwards every idempotent operation; a list forwards exactly those operations. */
  allow?: 'read' | readonly OperationId[];
  /** Where the handler is mounted, e.g. `/api/wecom`; paths outside it are refused. Default: the root. */
  basePath?: string;
  /** The largest JSON body forwarded, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** A fetch-standard handler: Node's http server (through an adapter), Hono, Next.js route handlers, workers. */
export type WecomProxyHandler = (request: Request) => Promise<Response>;

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

// Names under which a browser might send a credential; they are dropped, and the server's token is used.
const CREDENTIAL = /^(?:[a-z_]*access_?token|[a-z_]*secret|corpid)$/i;

// Operation paths are words of letters, digits, `_` and `-` between single slashes. Anything else
// tries to reach something else: encoded slashes or dots, backslashes, `//` or the `scheme:` of a URL.
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)+$/;

type ForwardCall = (operationId: string, input: unknown, options: CallOptions) => Promise<unknown>;

interface Route {
  operationId: string;
  spec: OperationSpec;
}

/**
 * A backend-for-frontend in front of WeCom: the browser calls `basePath + <operation path>` without
 * credentials, and the proxy forwards exactly the spec's operations it allows, through `client`.
 * Refusals and failures answer WeCom-shaped JSON (`errcode`, `errmsg`), so the browser client
 * reports them as it reports WeCom's own errors.
 */
export function createWecomProxy(options: WecomProxyOptions): WecomProxyHandler {
  const { client, allow = 'read', maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !PLAIN_PATH.test(basePath)) {
    throw new WecomConfigError({
      message: `createWecomProxy: basePath "${options.basePath}" must look like /api/wecom.`,
    });
  }
  const table: Readonly<Record<string, OperationSpec>> = operations;
  const routes = new Map<string, Route>(
    Object.entries(table).map(([operationId, spec]) => [spec.path, { operationId, spec }]),
  );
  const allowed = allowedOperations(table, allow);

  return async function handleWecomRequest(request: Request): Promise<Response> {
    // The WHATWG URL parser has already resolved `.` and `..` segments, so a `..` either left
    // basePath (refused below) or names a spec path exactly like the plain URL would.
    const { pathname, searchParams } = new URL(request.url);
    if (!pathname.startsWith(`${basePath}/`)) {
      return refusal(
        404,
        40058,
        `no WeCom operation at ${pathname}: this proxy serves ${basePath}/cgi-bin/…`,
      );
    }
    const path = pathname.slice(basePath.length);
    if (!PLAIN_PATH.test(path)) {
      return refusal(
        400,
        40058,
        'malformed path: encoded characters, empty segments and embedded URLs are refused',
      );
    }
    const route = routes.get(path);
    if (!route)
      return refusal(404, 40058, `unknown path ${path}: the proxy forwards only operations of the spec`);
    const { operationId, spec } = route;
    if (request.method !== spec.method) {
      return refusal(405, 40058, `${path} must be called with ${spec.method}`, { allow: spec.method });
    }
    if (!allowed.has(operationId)) {
      return refusal(
        403,
        48002,
        spec.tokenless
          ? `${operationId} is never forwarded: the access token stays on the server`
          : `${operationId} is not allowed through this proxy`,
      );
    }

    let input: Record<string, unknown>;
    if (spec.input === 'query') {
      input = withoutCredentials(Object.fromEntries(searchParams));
    } else {
      const text = await readCapped(request, maxBodyBytes);
      if (text === undefined)
        return refusal(413, 40206, `the request body is larger than ${maxBodyBytes} bytes`);
      const body = parseObject(text);
      if (!body) return refusal(400, 40058, 'the request body must be a JSON object');
      input = withoutCredentials(body);
    }

    try {
      const answer = await (client.call as ForwardCall)(operationId, input, { signal: request.signal });
      return json(200, answer);
    } catch (error) {
      return failure(error);
    }
  };
}

function allowedOperations(
  table: Readonly<Record<string, OperationSpec>>,
  allow: 'read' | readonly string[],
): Set<string> {
  if (allow === 'read') {
    return new Set(
      Object.keys(table).filter(
        (operationId) => table[operationId]?.idempotent && !table[operationId].tokenless,
      ),
    );
  }
  for (const operationId of allow) {
    const spec = table[operationId];
    if (!spec)
      throw new WecomConfigError({
        message: `createWecomProxy: allow names "${operationId}", which is not an operation of the spec.`,
      });
    if (spec.tokenless) {
      throw new WecomConfigError({
        message: `createWecomProxy: ${operationId} cannot be allowed: forwarding it would hand the access token to the browser.`,
      });
    }
  }
  return new Set(allow);
}

function withoutCredentials(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([name]) => !CREDENTIAL.test(name)));
}

/** The body as text, or undefined once it passes `limit` bytes (whatever Content-Length claimed). */
async function readCapped(request: Request, limit: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length')) > limit) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function failure(error: unknown): Response {
  // Business errors travel as WeCom sends them: HTTP 200 with the errcode.
  if (error instanceof WecomError) return json(200, { errcode: error.errcode, errmsg: error.errmsg });
  if (error instanceof WecomValidationError) return refusal(400, 40058, error.message);
  // The browser client reads -1 as "busy": it retries a read and reports a write's outcome as unknown.
  if (error instanceof WecomTimeoutError) return refusal(504, -1, error.message);
  if (error instanceof WecomKitError) return refusal(502, -1, error.message);
  return refusal(500, -1, 'the proxy failed while forwarding the request');
}

function refusal(
  status: number,
  errcode: number,
  errmsg: string,
  headers?: Record<string, string>,
): Response {
  return json(status, { errcode, errmsg: `wecom-kit proxy: ${errmsg}` }, headers);
}

function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  // Tokens and the secret are registered with `redact` by the transport: a last guard on the way out.
  return new Response(redact(JSON.stringify(body)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
