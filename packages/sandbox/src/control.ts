import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { isJsonRequest, readCappedBody } from './body';
import { type FaultInjector, parseFaultRule } from './faults';
import { isProviderRoute, PROVIDER_ROUTES, runProviderRoute } from './provider/control';
import type { ProviderWorld } from './provider/world';
import { simulations } from './simulate';
import type { SandboxStats } from './stats';
import type { TokenKind } from './tokens';

const SIMULATE = 'POST simulate/';
const simulationNames = Object.keys(simulations);

/** How the control API is guarded. */
export interface ControlAccess {
  /** When set, every control request must carry `authorization: Bearer <token>`. */
  controlToken?: string;
  maxBodyBytes: number;
}

interface Controlled {
  stats: SandboxStats;
  faults: FaultInjector;
  revokeTokens(kind?: TokenKind): void;
  readonly provider: ProviderWorld | undefined;
  reset(): void;
  /** Runs the named simulation, or answers undefined when there is none by that name. */
  simulate(name: string, input: Record<string, unknown>): object | undefined;
}

/**
 * The control API under /__sandbox/: stats, reset, token revocation, fault scripting and simulated
 * user actions that raise callback events.
 * Answers plain JSON; errors carry errcode/errmsg like the API itself. POSTs must be JSON, so that
 * no web page can drive it with a form or a `no-cors` fetch, and with a control token set, every
 * request must carry it.
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  sandbox: Controlled,
  access: ControlAccess,
): Promise<void> {
  const reply = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  if (access.controlToken !== undefined && !carriesToken(request, access.controlToken)) {
    return reply(401, {
      errcode: 40014,
      errmsg: 'the control API needs the header authorization: Bearer <the --control-token>',
    });
  }
  if (request.method === 'POST' && !isJsonRequest(request)) {
    return reply(415, {
      errcode: 40058,
      errmsg: 'control requests are POSTed as content-type: application/json',
    });
  }
  const readJson = async () => parseJson(await readCappedBody(request, access.maxBodyBytes));
  // Routes whose body is optional take an empty one as {}.
  const readOptionalObject = async () => {
    const text = await readCappedBody(request, access.maxBodyBytes);
    return text.trim() === '' ? {} : asObject(parseJson(text));
  };
  const readObject = async () => asObject(await readJson());
  const route = `${request.method} ${url.pathname.slice('/__sandbox/'.length)}`;
  try {
    switch (route) {
      case 'GET stats':
        return reply(200, sandbox.stats);
      case 'POST reset':
        sandbox.reset();
        return reply(200, { errcode: 0, errmsg: 'ok' });
      case 'POST revoke-tokens':
        sandbox.revokeTokens(tokenKindOf((await readOptionalObject()).kind));
        return reply(200, { errcode: 0, errmsg: 'ok' });
      case 'GET faults':
        return reply(200, { faults: sandbox.faults.list() });
      case 'POST faults': {
        const body = await readJson();
        const rules = (Array.isArray(body) ? body : [body]).map(parseFaultRule);
        for (const rule of rules) sandbox.faults.add(rule);
        return reply(200, { errcode: 0, errmsg: 'ok', faults: sandbox.faults.list() });
      }
      case 'DELETE faults':
        sandbox.faults.clear();
        return reply(200, { errcode: 0, errmsg: 'ok' });
      default: {
        if (isProviderRoute(route)) {
          const body = request.method === 'POST' ? await readOptionalObject() : {};
          return reply(200, { errcode: 0, errmsg: 'ok', ...runProviderRoute(sandbox.provider, route, body) });
        }
        const result = route.startsWith(SIMULATE)
          ? sandbox.simulate(route.slice(SIMULATE.length), await readObject())
          : undefined;
        if (result) return reply(200, { errcode: 0, errmsg: 'ok', ...result });
        return reply(404, {
          errcode: 404,
          errmsg: `unknown control route ${route}; use GET stats, POST reset, POST revoke-tokens, GET|POST|DELETE faults, POST simulate/<${simulationNames.join('|')}>, ${PROVIDER_ROUTES.join(', ')}`,
        });
      }
    }
  } catch (error) {
    if (error instanceof ApiError) return reply(400, { errcode: error.errcode, errmsg: error.message });
    throw error;
  }
}

const TOKEN_KINDS: readonly TokenKind[] = ['access', 'corp', 'suite', 'provider'];

/** revoke-tokens' optional `kind`; every kind when absent. */
function tokenKindOf(kind: unknown): TokenKind | undefined {
  if (kind === undefined) return undefined;
  if (!TOKEN_KINDS.includes(kind as TokenKind)) {
    throw new ApiError(40058, `kind must be one of ${TOKEN_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  return kind as TokenKind;
}

function carriesToken(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(40058, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(40058, 'the body must be JSON');
  }
}
