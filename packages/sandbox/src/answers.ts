import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { readCappedBody } from './body';
import type { FaultRule } from './faults';

// How the server reads a call and shapes (or loses) its answer, shared by every kind of operation.

/** Runs a fault's delay, then answers for it when it fails the call before anything is applied. */
export async function failsBeforeApplying(
  fault: FaultRule | undefined,
  response: ServerResponse,
): Promise<boolean> {
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
export function losesAnswer(
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
export interface CallContext {
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
export const MALFORMED_JSON_WARNING = ' Warning: wrong json format.';

/**
 * The body as parameters. A body that is not a JSON object yields no parameters rather than an
 * error of its own: the call then fails (or succeeds) on what is missing, as WeCom's does.
 */
export async function readJsonBody(
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

/** The peer's IP as WeCom prints it: IPv4-mapped IPv6 addresses in their IPv4 form. */
export function callerAddress(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

export function queryInput(url: URL): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) if (key !== 'access_token') input[key] = value;
  return input;
}
