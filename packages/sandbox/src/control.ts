import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { type FaultInjector, parseFaultRule } from './faults';
import { simulations } from './simulate';
import type { SandboxStats } from './stats';

const SIMULATE = 'POST simulate/';
const simulationNames = Object.keys(simulations);

interface Controlled {
  stats: SandboxStats;
  faults: FaultInjector;
  revokeTokens(): void;
  reset(): void;
  /** Runs the named simulation, or answers undefined when there is none by that name. */
  simulate(name: string, input: Record<string, unknown>): object | undefined;
}

/**
 * The control API under /__sandbox/: stats, reset, token revocation, fault scripting and simulated
 * user actions that raise callback events.
 * Answers plain JSON; errors carry errcode/errmsg like the API itself.
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  sandbox: Controlled,
): Promise<void> {
  const reply = (status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const route = `${request.method} ${url.pathname.slice('/__sandbox/'.length)}`;
  try {
    switch (route) {
      case 'GET stats':
        return reply(200, sandbox.stats);
      case 'POST reset':
        sandbox.reset();
        return reply(200, { errcode: 0, errmsg: 'ok' });
      case 'POST revoke-tokens':
        sandbox.revokeTokens();
        return reply(200, { errcode: 0, errmsg: 'ok' });
      case 'GET faults':
        return reply(200, { faults: sandbox.faults.list() });
      case 'POST faults': {
        const body = await readJson(request);
        const rules = (Array.isArray(body) ? body : [body]).map(parseFaultRule);
        for (const rule of rules) sandbox.faults.add(rule);
        return reply(200, { errcode: 0, errmsg: 'ok', faults: sandbox.faults.list() });
      }
      case 'DELETE faults':
        sandbox.faults.clear();
        return reply(200, { errcode: 0, errmsg: 'ok' });
      default: {
        const result = route.startsWith(SIMULATE)
          ? sandbox.simulate(route.slice(SIMULATE.length), await readObject(request))
          : undefined;
        if (result) return reply(200, { errcode: 0, errmsg: 'ok', ...result });
        return reply(404, {
          errcode: 404,
          errmsg: `unknown control route ${route}; use GET stats, POST reset, POST revoke-tokens, GET|POST|DELETE faults, POST simulate/<${simulationNames.join('|')}>`,
        });
      }
    }
  } catch (error) {
    if (error instanceof ApiError) return reply(400, { errcode: error.errcode, errmsg: error.message });
    throw error;
  }
}

async function readObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJson(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(40058, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(40058, 'the body must be JSON');
  }
}
