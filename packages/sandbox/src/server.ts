import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OperationSpec, operations } from '@wecom-kit/client';
import { isAllowedHost } from '@wecom-kit/client/proxy';
import {
  type CallContext,
  callerAddress,
  failsBeforeApplying,
  losesAnswer,
  MALFORMED_JSON_WARNING,
  queryInput,
  readJsonBody,
} from './answers';
import { ApiError } from './api-error';
import { DEFAULT_MAX_BODY_BYTES } from './body';
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
import { checkServiceToken, runServiceOperation } from './provider/endpoint';
import { ANSWERED_WITHOUT_ERRCODE, type ServiceOperationId, serviceTokenOf } from './provider/operations';
import type { ProviderOptions } from './provider/options';
import { startProvider } from './provider/start';
import type { ProviderWorld } from './provider/world';
import { createRandom } from './random';
import { validateRequest } from './request-validation';
import { type AddedCustomer, simulateAddCustomer, simulations } from './simulate';
import { advanceState, createState, type SandboxState } from './state';
import { SandboxStats } from './stats';
import { type TokenKind, TokenRegistry } from './tokens';

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
  /** Also play WeCom for a service provider: a suite, the provider, authorizing corps (README). */
  provider?: ProviderOptions;
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
  /** The provider mode's suite, provider and authorizing corps; undefined without `provider`. */
  readonly provider: ProviderWorld | undefined;
  /** A new customer adds the member, as POST /__sandbox/simulate/add-customer does. */
  simulateAddCustomer(input: { userid?: unknown; state?: unknown }): AddedCustomer;
  /**
   * Runs POST /__sandbox/simulate/<name> (see simulate/index.ts) and returns its extra answer
   * fields, or undefined for an unknown name; throws an ApiError for a bad input.
   */
  simulate(name: string, input: Record<string, unknown>): object | undefined;
  /** Revokes the tokens of one kind, or of every kind. */
  revokeTokens(kind?: TokenKind): void;
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
  const provider = startProvider(options.provider, settings, now, stats);
  // Tickets are due by the sandbox's clock; the timer only notices, so a moved clock acts at the next request.
  const ticker = provider && setInterval(() => provider.tick(), 1_000).unref();

  const sandbox = {
    corpId: settings.corpId,
    corpSecret: settings.corpSecret,
    stats,
    faults,
    callbacks,
    provider,
    get state() {
      return state;
    },
    revokeTokens(kind?: TokenKind) {
      if (kind === undefined || kind === 'access') tokens.revokeAll();
      if (kind === undefined || kind === 'corp')
        for (const corp of provider?.corps ?? []) corp.tokens.revokeAll();
      if (kind === undefined || kind === 'suite') provider?.suiteTokens.revokeAll();
      if (kind === undefined || kind === 'provider') provider?.providerTokens.revokeAll();
    },
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
      provider?.reset();
      provider?.tick();
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
    const { errcode: _code, errmsg: _message, ...fields } = body;
    const payload =
      errcode === 0 && ANSWERED_WITHOUT_ERRCODE.has(operationId)
        ? fields
        : { ...fields, errcode, errmsg: call.malformedJson ? `${errmsg}${MALFORMED_JSON_WARNING}` : errmsg };
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
    provider?.tick();
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
      const serviceKind = serviceTokenOf(operationId);
      if (serviceKind) {
        stats.countTokenKind(serviceKind);
        const fault = faults.pick(url.pathname, spec.token === 'none');
        if (await failsBeforeApplying(fault, response)) return;
        checkServiceToken(provider, serviceKind, url.searchParams);
        // Token fetches are exempt, as gettoken is; suite and provider calls count like any other API.
        if (serviceKind !== 'none' && !limits.admit(url.pathname, spec.rateLimitPerMinute))
          throw new ApiError(45009, 'api freq out of limit');
        const body = await readJsonBody(request, maxBodyBytes);
        call.malformedJson = body.malformed;
        validateRequest(operationId, spec, body.input);
        const result = runServiceOperation(provider, operationId as ServiceOperationId, body.input);
        if (!spec.idempotent) stats.countApplied(url.pathname);
        if (losesAnswer(fault, request, response)) return;
        send(response, { errcode: 0, ...result }, call, operationId);
        return;
      }
      if (spec.token === 'none') {
        // Only a rule that names gettoken fails token fetches; rules for every API leave them be.
        const fault = faults.pick(url.pathname, true);
        if (await failsBeforeApplying(fault, response)) return;
        const query = url.searchParams;
        // A customized app (代开发) fetches its corp's token here, with the permanent code as secret.
        const customized = provider?.customizedToken(query.get('corpid'), query.get('corpsecret'));
        if (!customized) checkCredentials(query, settings);
        const { token, expires_in } = customized ?? tokens.issue();
        stats.tokensIssued = tokens.issued;
        if (losesAnswer(fault, request, response)) return;
        send(response, { errcode: 0, access_token: token, expires_in }, call, operationId);
        return;
      }
      const world = resolveWorld(url.searchParams.get('access_token'));
      if (!limits.admit(url.pathname, spec.rateLimitPerMinute))
        throw new ApiError(45009, 'api freq out of limit');
      if (!limits.enter(url.pathname)) throw new ApiError(45033, 'api concurrent out of limit');
      try {
        await serve(request, response, url, operationId, spec, call, world);
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
    world: World,
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
    advanceState(world.state, now(), world.emit);
    const events: SandboxEvent[] = [];
    const context = {
      input: input as never,
      state: world.state,
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
    for (const event of events) world.emit(event);
    if (losesAnswer(fault, request, response)) return;
    send(response, { errcode: 0, ...result }, call, operationId);
  }

  /**
   * The corp an access token belongs to: an authorizing corp's (provider mode), else the
   * self-built corp's, whose registry answers 41001/40014/42001 for anything else.
   */
  function resolveWorld(token: string | null): World {
    const corp = token ? provider?.corpOfToken(token) : undefined;
    if (corp) {
      corp.tokens.check(token);
      stats.countTokenKind('corp');
      // The authorizing corps' customer-contact events have no receiver in the sandbox.
      return { state: corp.state, emit: () => undefined };
    }
    tokens.check(token);
    stats.countTokenKind('access');
    return { state, emit: emitOne };
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
        clearInterval(ticker);
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

/** The data a customer-contact call acts on, and where its callback events go. */
interface World {
  state: SandboxState;
  emit(event: SandboxEvent): void;
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

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
