import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OperationSpec, operations } from '@wecom-kit/client';
import { isAllowedHost } from '@wecom-kit/client/proxy';
import { ApiError } from './api-error';
import { DEFAULT_MAX_BODY_BYTES, readCappedBody } from './body';
import {
  type CallbackSender,
  type CallbackTarget,
  createCallbackSender,
  type SandboxEvent,
} from './callbacks';
import { handleControl } from './control';
import { createCursorCodec } from './cursor';
import { createRequestIdGenerator, formatErrmsg } from './errmsg';
import { FaultInjector, type FaultRule, parseFaultRule } from './faults';
import { handlerFor } from './handlers';
import { ApiLimits } from './limits';
import type { Listing } from './listing';
import { slicePage } from './paging';
import { createRandom } from './random';
import { validateRequest } from './request-validation';
import { type AddedCustomer, simulateAddCustomer, simulations } from './simulate';
import { advanceState, createState, type SandboxState } from './state';
import { SandboxStats } from './stats';
import { TokenRegistry } from './tokens';

export interface SandboxOptions {
  port?: number;
  host?: string;
  seed?: number;
  /** Number of customers to seed; members, chats and moments scale with it. */
  scale?: number;
  corpId?: string;
  corpSecret?: string;
  /** Lifetime of issued access tokens, seconds. */
  tokenTtl?: number;
  /** Calls per minute per API before 45009 (WeCom's default is 10,000 per corp per API). */
  rateLimitPerMinute?: number;
  /** Calls in flight per API before 45033. */
  concurrencyLimit?: number;
  /** Faults active from the start, as POST /__sandbox/faults would add them. */
  faults?: FaultRule[];
  /** Clock, for tests that travel in time. */
  now?: () => number;
  /** Sees every API answer the sandbox sends (tests validate them against the spec). */
  onAnswer?: (answer: { operationId: string; body: Record<string, unknown> }) => void;
  /** The app's callback URL and settings: state changes are delivered there as encrypted events. */
  callback?: CallbackTarget;
  /** Host names (or host:port) the sandbox answers to besides loopback ones; others get 403 (DNS rebinding). */
  allowedHosts?: readonly string[];
  /** When set, the control API (/__sandbox/*) requires `authorization: Bearer <controlToken>`. */
  controlToken?: string;
  /** The largest request body read, in bytes; larger ones get errcode 40206. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly corpId: string;
  readonly corpSecret: string;
  readonly state: SandboxState;
  readonly stats: SandboxStats;
  readonly faults: FaultInjector;
  readonly callbacks: CallbackSender;
  /** A new customer adds the member, as POST /__sandbox/simulate/add-customer does. */
  simulateAddCustomer(input: { userid?: unknown; state?: unknown }): AddedCustomer;
  /**
   * Runs POST /__sandbox/simulate/<name> (see simulate/index.ts) and returns its extra answer
   * fields, or undefined for an unknown name; throws an ApiError for a bad input.
   */
  simulate(name: string, input: Record<string, unknown>): object | undefined;
  revokeTokens(): void;
  reset(): void;
  close(): Promise<void>;
}

export const SANDBOX_DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  seed: 1,
  scale: 2000,
  corpId: 'wwsandbox0000000001',
  corpSecret: 'sandbox-secret-change-me',
  tokenTtl: 7200,
  rateLimitPerMinute: 10_000,
  concurrencyLimit: 50,
} as const;

const table: Readonly<Record<string, OperationSpec>> = operations;
const routes = new Map(
  Object.entries(table).map(([operationId, spec]) => [spec.path, { operationId, spec }]),
);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = { ...SANDBOX_DEFAULTS, ...stripUndefined(options) };
  const now = options.now ?? Date.now;
  const random = createRandom(settings.seed ^ 0x5eed);
  const tokens = new TokenRegistry(settings.tokenTtl, now);
  const limits = new ApiLimits(settings.rateLimitPerMinute, settings.concurrencyLimit, now);
  const faults = new FaultInjector(random.next);
  for (const rule of options.faults ?? []) faults.add(parseFaultRule(rule));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const stats = new SandboxStats();
  const nextRequestId = createRequestIdGenerator();
  // Per sandbox, so that no one can compute a valid cursor they were not given.
  const cursors = createCursorCodec();
  let state = createState({ seed: settings.seed, scale: settings.scale, now: now() });
  const callbacks = createCallbackSender(options.callback, settings.corpId, stats, now);
  const emitOne = (event: SandboxEvent) => callbacks.emit([event]);

  const sandbox = {
    corpId: settings.corpId,
    corpSecret: settings.corpSecret,
    stats,
    faults,
    callbacks,
    get state() {
      return state;
    },
    revokeTokens: () => tokens.revokeAll(),
    simulateAddCustomer: (input: { userid?: unknown; state?: unknown }) =>
      simulateAddCustomer(state, input, now(), emitOne),
    simulate(name: string, input: Record<string, unknown>) {
      const simulation = Object.hasOwn(simulations, name) ? simulations[name] : undefined;
      if (!simulation) return undefined;
      // The same present the API sees: due takeovers settle before the user acts.
      advanceState(state, now(), emitOne);
      return simulation(state, input, now(), emitOne);
    },
    reset() {
      state = createState({ seed: settings.seed, scale: settings.scale, now: now() });
      tokens.reset();
      limits.reset();
      faults.clear();
      stats.reset();
    },
  };

  const send = (
    response: ServerResponse,
    body: Record<string, unknown>,
    call: CallContext,
    operationId: string,
  ) => {
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    stats.countErrcode(errcode);
    const errmsg = formatErrmsg(errcode, String(body.errmsg), call.requestId, call.fromIp);
    const payload = {
      ...body,
      errcode,
      errmsg: call.malformedJson ? `${errmsg}${MALFORMED_JSON_WARNING}` : errmsg,
    };
    options.onAnswer?.({ operationId, body: payload });
    response
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(payload));
  };

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const call: CallContext = {
      requestId: nextRequestId(),
      fromIp: callerAddress(request),
      malformedJson: false,
    };
    const route = routes.get(url.pathname);
    if (!route) {
      response
        .writeHead(404, { 'content-type': 'text/html' })
        .end('<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const { operationId, spec } = route;
    stats.countCall(url.pathname);
    const fail = (error: ApiError) =>
      send(response, { errcode: error.errcode, errmsg: error.message }, call, operationId);
    try {
      if (request.method !== spec.method) {
        throw new ApiError(40058, `invalid parameter: ${url.pathname} must be called with ${spec.method}`);
      }
      if (spec.token === 'none') {
        // Only a rule that names gettoken fails token fetches; rules for every API leave them be.
        const fault = faults.pick(url.pathname, true);
        if (await failsBeforeApplying(fault, response)) return;
        checkCredentials(url.searchParams, settings);
        const issued = tokens.issue();
        stats.tokensIssued = tokens.issued;
        if (losesAnswer(fault, request, response)) return;
        send(response, { errcode: 0, ...issued }, call, operationId);
        return;
      }
      tokens.check(url.searchParams.get('access_token'));
      if (!limits.admit(url.pathname, spec.rateLimitPerMinute))
        throw new ApiError(45009, 'api freq out of limit');
      if (!limits.enter(url.pathname)) throw new ApiError(45033, 'api concurrent out of limit');
      try {
        await serve(request, response, url, operationId, spec, call);
      } finally {
        limits.leave(url.pathname);
      }
    } catch (error) {
      if (error instanceof ApiError) fail(error);
      else throw error;
    }
  }

  async function serve(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    operationId: string,
    spec: OperationSpec,
    call: CallContext,
  ): Promise<void> {
    const fault = faults.pick(url.pathname);
    if (await failsBeforeApplying(fault, response)) return;
    let input = queryInput(url);
    if (spec.input === 'body') {
      const body = await readJsonBody(request, maxBodyBytes);
      input = body.input;
      call.malformedJson = body.malformed;
    }
    validateRequest(operationId, spec, input);
    const handler = handlerFor(operationId);
    if (!handler) throw new ApiError(48002, `api forbidden: ${operationId} is not simulated`);
    advanceState(state, now(), emitOne);
    const events: SandboxEvent[] = [];
    const context = {
      input: input as never,
      state,
      now: now(),
      emit: (event: SandboxEvent) => events.push(event),
      page: (all: Listing<unknown>, scope = operationId) => {
        if (!spec.pagination) throw new Error(`${operationId} does not page`);
        const { items, position } = slicePage(all, input, spec.pagination, scope, cursors);
        return { [spec.pagination.itemsField]: items, ...position } as never;
      },
    };
    const result = handler(context);
    if (!spec.idempotent) stats.countApplied(url.pathname);
    // Sent even when a fault then loses the answer: the change happened, so WeCom would report it.
    callbacks.emit(events);
    if (losesAnswer(fault, request, response)) return;
    send(response, { errcode: 0, ...result }, call, operationId);
  }

  const control = { controlToken: options.controlToken, maxBodyBytes };
  const server = createServer((request, response) => {
    const refuse = (status: number, errcode: number, errmsg: string) =>
      response
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errcode, errmsg }));
    // A page on another domain that resolves to 127.0.0.1 (DNS rebinding) must not reach the API.
    if (!isAllowedHost(request.headers.host, options.allowedHosts)) {
      return refuse(403, 48002, 'host not allowed: the sandbox answers to loopback names (see allowedHosts)');
    }
    const url = parseTarget(request.url);
    if (!url) return refuse(400, 40058, 'invalid request target');
    const handled = url.pathname.startsWith('/__sandbox/')
      ? handleControl(request, response, url, sandbox, control)
      : handleApi(request, response, url);
    handled.catch((error: unknown) => {
      if (response.headersSent) return void response.end();
      refuse(500, -1, `system error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return Object.assign(sandbox, {
    url: `http://${settings.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as Sandbox;
}

/** The request target as a URL, or undefined when it does not parse (e.g. `http://[/`). */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://sandbox');
  } catch {
    return undefined;
  }
}

/** Runs a fault's delay, then answers for it when it fails the call before anything is applied. */
async function failsBeforeApplying(fault: FaultRule | undefined, response: ServerResponse): Promise<boolean> {
  if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault?.httpStatus !== undefined) {
    response
      .writeHead(fault.httpStatus, { 'content-type': 'text/html' })
      .end(`<html><head><title>${fault.httpStatus}</title></head><body>upstream error</body></html>`);
    return true;
  }
  if (fault?.errcode !== undefined) throw new ApiError(fault.errcode, 'injected fault');
  return false;
}

/** After the call was applied: a fault that loses the answer closes the connection or cuts the body. */
function losesAnswer(
  fault: FaultRule | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  if (fault?.drop) {
    request.socket.destroy();
    return true;
  }
  if (fault?.malformed) {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok","trunc');
    return true;
  }
  return false;
}

/** What one API call's answer needs besides its body. */
interface CallContext {
  requestId: string;
  /** The caller's address, which WeCom quotes in every errmsg (`from ip:`). */
  fromIp: string;
  /** The body was not a JSON object: WeCom answers anyway, with a warning appended to errmsg. */
  malformedJson: boolean;
}

/**
 * WeCom's global error page: a body that is not valid JSON is parsed as far as it goes, so
 * parameters may be missing, and the errmsg then carries this warning.
 */
const MALFORMED_JSON_WARNING = ' Warning: wrong json format.';

/**
 * The body as parameters. A body that is not a JSON object yields no parameters rather than an
 * error of its own: the call then fails (or succeeds) on what is missing, as WeCom's does.
 */
async function readJsonBody(
  request: IncomingMessage,
  limit: number,
): Promise<{ input: Record<string, unknown>; malformed: boolean }> {
  const text = await readCappedBody(request, limit);
  if (text.trim() === '') return { input: {}, malformed: false };
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { input: parsed, malformed: false };
    }
  } catch {
    // Not JSON at all: no parameters, and the warning.
  }
  return { input: {}, malformed: true };
}

/** gettoken's checks in WeCom's order: a missing parameter before a wrong one. */
function checkCredentials(query: URLSearchParams, expected: { corpId: string; corpSecret: string }): void {
  const corpId = query.get('corpid');
  const corpSecret = query.get('corpsecret');
  if (!corpId) throw new ApiError(41002, 'corpid missing');
  if (!corpSecret) throw new ApiError(41004, 'corpsecret missing');
  if (corpId !== expected.corpId) throw new ApiError(40013, 'invalid corpid');
  if (corpSecret !== expected.corpSecret) throw new ApiError(40001, 'invalid credential');
}

/** The peer's IP as WeCom prints it: IPv4-mapped IPv6 addresses in their IPv4 form. */
function callerAddress(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function queryInput(url: URL): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) if (key !== 'access_token') input[key] = value;
  return input;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
