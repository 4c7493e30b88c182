import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error';

/** Encodes and checks the page cursors of one sandbox. */
export interface CursorCodec {
  encode(scope: string, position: number): string;
  /** The position a cursor of `scope` points at: 0 for none, 50100 for anything not issued here. */
  decode(scope: string, cursor: string | undefined): number;
}

/**
 * Opaque page cursors carrying the operation, the position and an HMAC under a secret only this
 * sandbox knows: a cursor from another operation, a truncated one, or one forged by recomputing a
 * checksum is refused (50100) instead of silently restarting or jumping the listing.
 */
export function createCursorCodec(secret: Buffer = randomBytes(32)): CursorCodec {
  const mac = (payload: string) =>
    createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
  return {
    encode(scope, position) {
      const payload = `${scope}:${position}`;
      return Buffer.from(`${payload}:${mac(payload)}`).toString('base64url');
    },
    decode(scope, cursor) {
      if (cursor === undefined || cursor === '') return 0;
      const decoded = Buffer.from(cursor, 'base64url').toString();
      const separator = decoded.lastIndexOf(':');
      const payload = decoded.slice(0, separator);
      const positionText = payload.slice(payload.lastIndexOf(':') + 1);
      const position = Number(positionText);
      const valid =
        separator > 0 &&
        sameText(mac(payload), decoded.slice(separator + 1)) &&
        payload.slice(0, payload.lastIndexOf(':')) === scope &&
        /^\d+$/.test(positionText) &&
        Number.isSafeInteger(position);
      if (!valid) throw new ApiError(50100, 'invalid cursor');
      return position;
    },
  };
}

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
