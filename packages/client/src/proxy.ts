import {
  type CallOptions,
  type LimiterKey,
  PROXY_RETRIED_HEADER,
  QueuedLimiter,
  type RateLimiter,
  redact,
  WecomConfigError,
  WecomError,
  WecomKitError,
  WecomTimeoutError,
  WecomValidationError,
} from '@wecom-kit/core';
import { classifyErrcode, loadTelemetry, type ServerSpanNote, serveTraced } from '@wecom-kit/core/internal';
import type { WecomClient } from './client';
import { inputConstraints } from './generated/constraints';
import { operations } from './generated/operations';
import {
  crossSiteReason,
  declaredQuery,
  isAllowedHost,
  isJsonContentType,
  parseJsonObject,
  readCapped,
} from './proxy-request';
import type { OperationSpec } from './table';
import type { OperationId } from './types';

/** Who the caller is (a non-empty string) to allow the call; null, undefined or false to refuse it. */
export type ProxyCaller = string | null | undefined | false;

export interface WecomProxyOptions {
  /** A server-side client, created with corpId and corpSecret: it adds the access token the browser never sees. */
  client: WecomClient;
  /**
   * Required. Decides who may call: return the caller's identity (the session's user id, the
   * bearer token's subject) to forward the call, or null/undefined/false to refuse it with 403.
   * Runs after the cross-site and content-type checks, before any body is read or token fetched.
   */
  authorize: (request: Request, operationId: OperationId) => ProxyCaller | Promise<ProxyCaller>;
  /** `'read'` (the default) forwards every idempotent operation; a list forwards exactly those operations. */
  allow?: 'read' | readonly OperationId[];
  /** Where the handler is mounted, e.g. `/api/wecom`; paths outside it are refused. Default: the root. */
  basePath?: string;
  /** The largest JSON body forwarded, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Host names (or host:port) the proxy answers to, e.g. `['crm.example.com']`. Default: loopback names only. */
  allowedHosts?: readonly string[];
  /** Origins whose pages may call the proxy, e.g. `['https://crm.example.com']`. Default: the request's own origin. */
  allowedOrigins?: readonly string[];
  /** Each caller's own budget, so that one caller cannot spend the corp's. Default 120 calls a minute. */
  perCaller?: {
    perMinute?: number;
    /** Where the budget is kept, e.g. `createRedisRateLimiter` to share it between processes. */
    limiter?: RateLimiter;
  };
  /**
   * Sees the failures the browser only gets a generic message for (configuration, network), with
   * their full, redacted advice. Default: logged with console.error.
   */
  onError?: (failure: { operationId: OperationId; caller: string; error: unknown }) => void;
}

export { isAllowedHost } from './proxy-request';

/** A fetch-standard handler: Node's http server (through an adapter), Hono, Next.js route handlers, workers. */
export type WecomProxyHandler = (request: Request) => Promise<Response>;

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_CALLS_PER_MINUTE = 120;
const CALLER_WINDOW_MS = 60_000;
const CALLER_ADMISSION_WAIT_MS = 1_000;
/** Deeper JSON is refused; no operation's input nests more than a few levels. */
const MAX_JSON_DEPTH = 64;

// Names under which a browser might send a credential; they are dropped, and the server's token is used.
const CREDENTIAL = /^(?:[a-z_]*access_?token|[a-z_]*secret|corpid)$/i;

// Operation paths are words of letters, digits, `_` and `-` between single slashes. Anything else
// tries to reach something else: encoded slashes or dots, backslashes, `//` or the `scheme:` of a URL.
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)+$/;

type ForwardCall = (operationId: string, input: unknown, options: CallOptions) => Promise<unknown>;

interface Route {
  operationId: OperationId;
  spec: OperationSpec;
}

/**
 * A backend-for-frontend in front of WeCom: the browser calls `basePath + <operation path>` without
 * credentials, and the proxy forwards exactly the spec's operations it allows, for callers that
 * `authorize` admits, each within its own budget. Refusals answer WeCom-shaped JSON (`errcode`,
 * `errmsg`) and never echo the request; failures to reach WeCom answer 502/504 without an errcode,
 * so the browser client reports them as transport failures, not as WeCom's errors.
 */
export function createWecomProxy(options: WecomProxyOptions): WecomProxyHandler {
  const { client, allow = 'read', maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  if (typeof options.authorize !== 'function') {
    throw new WecomConfigError({
      message:
        "createWecomProxy: pass authorize(request, operationId), which returns the caller's identity " +
        '(e.g. the user id of the session cookie or of a verified bearer token) or null to refuse. ' +
        "Without it anyone who can reach the proxy calls WeCom as your corp; for a local demo, pass () => 'local-demo'.",
    });
  }
  const { authorize, onError = logFailure } = options;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !PLAIN_PATH.test(basePath)) {
    throw new WecomConfigError({
      message: `createWecomProxy: basePath "${options.basePath}" must look like /api/wecom.`,
    });
  }
  const table: Readonly<Record<string, OperationSpec>> = operations;
  const routes = new Map<string, Route>(
    Object.entries(table).map(([operationId, spec]) => [
      spec.path,
      { operationId: operationId as OperationId, spec },
    ]),
  );
  const allowed = allowedOperations(table, allow);
  const allowedOrigins = options.allowedOrigins && new Set(options.allowedOrigins);
  const admitCaller = callerBudget(options.perCaller);

  const telemetry = loadTelemetry();

  async function forward(request: Request, span: ServerSpanNote): Promise<Response> {
    const refuse = (reason: string, ...answer: Parameters<typeof refusal>) => {
      span.reject(reason);
      return refusal(...answer);
    };
    const url = new URL(request.url);
    if (!isAllowedHost(url.host, options.allowedHosts)) {
      return refuse('host', 403, 48002, 'this host name is not served; add it to allowedHosts');
    }
    const crossSite = crossSiteReason(request, url.origin, allowedOrigins);
    if (crossSite) return refuse('cross-site', 403, 48002, `${crossSite} is refused`);
    // The WHATWG URL parser has already resolved `.` and `..` segments, so a `..` either left
    // basePath (refused below) or names a spec path exactly like the plain URL would.
    if (!url.pathname.startsWith(`${basePath}/`)) {
      return refuse(
        'outside-base-path',
        404,
        40058,
        `no WeCom operation here: this proxy serves ${basePath}/cgi-bin/…`,
      );
    }
    const path = url.pathname.slice(basePath.length);
    if (!PLAIN_PATH.test(path)) {
      return refuse(
        'malformed-path',
        400,
        40058,
        'malformed path: encoded characters, empty segments and embedded URLs are refused',
      );
    }
    const route = routes.get(path);
    if (!route)
      return refuse(
        'unknown-operation',
        404,
        40058,
        'unknown path: the proxy forwards only operations of the spec',
      );
    const { operationId, spec } = route;
    span.name(`${basePath}${path}`);
    span.set({ 'http.route': `${basePath}${path}`, 'wecom.operation_id': operationId });
    if (request.method !== spec.method) {
      return refuse('method', 405, 40058, `${operationId} must be called with ${spec.method}`, {
        allow: spec.method,
      });
    }
    if (!allowed.has(operationId)) {
      return refuse(
        'not-allowed',
        403,
        48002,
        spec.token === 'none'
          ? `${operationId} is never forwarded: the access token stays on the server`
          : `${operationId} is not allowed through this proxy`,
      );
    }
    if (spec.method === 'POST' && !isJsonContentType(request)) {
      return refuse('content-type', 415, 40058, 'send the body as content-type: application/json');
    }

    let caller: ProxyCaller;
    try {
      caller = await authorize(request, operationId);
    } catch (error) {
      onError({ operationId, caller: '', error });
      return refuse('authorize-failed', 500, -1, 'the proxy could not check who is calling');
    }
    if (typeof caller !== 'string' || caller === '') {
      return refuse('unauthorized', 403, 48002, `you are not allowed to call ${operationId}`);
    }

    let input: Record<string, unknown>;
    if (spec.input === 'query') {
      input = declaredQuery(url.searchParams, inputConstraints[operationId]?.fields ?? {}, (name) =>
        CREDENTIAL.test(name),
      );
    } else {
      const text = await readCapped(request, maxBodyBytes);
      if (text === undefined)
        return refuse('too-large', 413, 40206, `the request body is larger than ${maxBodyBytes} bytes`);
      const body = parseJsonObject(text, MAX_JSON_DEPTH);
      if (!body.ok) {
        return refuse(
          'malformed-body',
          400,
          40058,
          body.reason === 'too-deep'
            ? `the request body nests deeper than ${MAX_JSON_DEPTH} levels`
            : 'the request body must be a JSON object',
        );
      }
      input = withoutCredentials(body.value);
    }

    const release = await admitCaller(caller, request.signal);
    if (!release) {
      return refuse('caller-budget', 429, 45009, 'too many calls from you; retry after a minute', {
        'retry-after': String(CALLER_WINDOW_MS / 1000),
        [PROXY_RETRIED_HEADER]: '0',
      });
    }
    try {
      const answer = await (client.call as ForwardCall)(operationId, input, { signal: request.signal });
      return json(200, answer);
    } catch (error) {
      return failure(error, (generic) => onError({ operationId, caller, error: generic }));
    } finally {
      release();
    }
  }

  // A SERVER span per request when a tracer provider is registered: its route, status and why it
  // was refused, never its query or body.
  return function handleWecomRequest(request: Request): Promise<Response> {
    return serveTraced(telemetry, request, (span) => forward(request, span));
  };
}

/**
 * Admits a caller within its budget: resolves to the function that ends its call, or to undefined
 * (answer 429) when the budget is spent. Never waits: a caller over budget is told so at once.
 */
function callerBudget(
  options: WecomProxyOptions['perCaller'] = {},
): (caller: string, signal: AbortSignal) => Promise<(() => void) | undefined> {
  const perMinute = options.perMinute ?? DEFAULT_CALLS_PER_MINUTE;
  if (!(Number.isInteger(perMinute) && perMinute > 0)) {
    throw new WecomConfigError({
      message: `createWecomProxy: perCaller.perMinute must be a positive integer, got ${perMinute}.`,
    });
  }
  const limiter = options.limiter ?? new QueuedLimiter({ windowMs: CALLER_WINDOW_MS });
  return async (caller, signal) => {
    const key: LimiterKey = {
      scope: 'wecom-proxy-caller',
      operationId: caller,
      perMinute,
      concurrency: perMinute,
    };
    if (limiter.tryAcquire) {
      if (!limiter.tryAcquire(key)) return undefined;
    } else {
      // A shared limiter (Redis) answers asynchronously: a caller it holds back longer than a
      // moment is over budget.
      const gaveUp = AbortSignal.any([signal, AbortSignal.timeout(CALLER_ADMISSION_WAIT_MS)]);
      const admitted = await limiter.acquire(key, gaveUp).then(
        () => true,
        () => false,
      );
      if (!admitted) return undefined;
    }
    return () => limiter.release(key);
  };
}
function allowedOperations(
  table: Readonly<Record<string, OperationSpec>>,
  allow: 'read' | readonly string[],
): Set<string> {
  if (allow === 'read') {
    return new Set(
      Object.keys(table).filter(
        // The reads of the proxy client's corp: the service-provider ones are named explicitly.
        (operationId) => table[operationId]?.idempotent && table[operationId].token === undefined,
      ),
    );
  }
  for (const operationId of allow) {
    const spec = table[operationId];
    if (!spec)
      throw new WecomConfigError({
        message: `createWecomProxy: allow names "${operationId}", which is not an operation of the spec.`,
      });
    if (spec.token === 'none') {
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

/**
 * The answer for a call the server-side client could not complete. WeCom's business errors travel
 * as WeCom sends them (HTTP 200 with the errcode), except configuration failures, whose advice and
 * WeCom's text (`from ip: …`) stay on the server. Failures to reach WeCom keep no errcode: the
 * browser reports them as what they are, not as "WeCom errcode -1". Every one of these answers is
 * marked as already retried.
 */
function failure(error: unknown, report: (error: unknown) => void): Response {
  const retried = { [PROXY_RETRIED_HEADER]: '1' };
  if (error instanceof WecomValidationError) return refusal(400, 40058, error.message);
  if (error instanceof WecomError && classifyErrcode(error.errcode) !== 'config') {
    return json(200, { errcode: error.errcode, errmsg: error.errmsg }, retried);
  }
  report(error);
  if (error instanceof WecomError || error instanceof WecomConfigError) {
    const errcode = error instanceof WecomError ? error.errcode : (error.errcode ?? -1);
    return json(
      error instanceof WecomError ? 200 : 502,
      {
        errcode,
        errmsg: 'wecom-kit proxy: the server is not set up to make this call; the details are in its log',
      },
      retried,
    );
  }
  const reason =
    error instanceof WecomTimeoutError
      ? 'WeCom did not answer in time'
      : error instanceof WecomKitError
        ? 'WeCom could not be reached'
        : 'the proxy failed while forwarding the request';
  return json(
    error instanceof WecomTimeoutError ? 504 : 502,
    { error: `wecom-kit proxy: ${reason}` },
    retried,
  );
}

function logFailure({ operationId, error }: { operationId: string; error: unknown }): void {
  console.error(
    `wecom-kit proxy: ${operationId} failed: ${redact(error instanceof Error ? error.message : String(error))}`,
  );
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
