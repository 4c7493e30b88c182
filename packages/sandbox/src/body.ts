import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';

/** The largest request body the sandbox reads by default, as WeCom refuses oversized bodies. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body as text, refused with WeCom's 40206 as soon as it passes `limit` bytes (or
 * when Content-Length announces more): nothing larger is ever buffered.
 */
export async function readCappedBody(request: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new ApiError(40206, `request body too large: the limit is ${limit} bytes`);
  if (Number(request.headers['content-length']) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > limit) {
      request.resume(); // drain without keeping, so the answer can still be written
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** True when a request declares a JSON body (what browsers cannot send cross-site without asking). */
export function isJsonRequest(request: IncomingMessage): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}
