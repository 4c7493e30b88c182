import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { type FaultInjector, parseFaultRule } from './faults';
import type { SandboxStats } from './stats';

interface Controlled {
  stats: SandboxStats;
  faults: FaultInjector;
  revokeTokens(): void;
  reset(): void;
  simulateAddCustomer(input: { userid?: unknown; state?: unknown }): object;
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
      case 'POST simulate/add-customer': {
        const body = await readJson(request);
        if (typeof body !== 'object' || body === null)
          throw new ApiError(40058, 'the body must be a JSON object');
        return reply(200, { errcode: 0, errmsg: 'ok', ...sandbox.simulateAddCustomer(body) });
      }
      case 'DELETE faults':
        sandbox.faults.clear();
        return reply(200, { errcode: 0, errmsg: 'ok' });
      default:
        return reply(404, {
          errcode: 404,
          errmsg: `unknown control route ${route}; use GET stats, POST reset, POST revoke-tokens, GET|POST|DELETE faults, POST simulate/add-customer`,
        });
    }
  } catch (error) {
    if (error instanceof ApiError) return reply(400, { errcode: error.errcode, errmsg: error.message });
    throw error;
  }
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
