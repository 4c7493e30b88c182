import { ApiError } from './api-error';

/**
 * Opaque page cursors. They carry the operation and position and a checksum, so a cursor from
 * another operation, a forged one or a truncated one is refused (50100) instead of silently
 * restarting the listing.
 */
export function encodeCursor(scope: string, position: number): string {
  const payload = `${scope}:${position}`;
  return Buffer.from(`${payload}:${checksum(payload)}`).toString('base64url');
}

export function decodeCursor(scope: string, cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const separator = decoded.lastIndexOf(':');
  const payload = decoded.slice(0, separator);
  const [cursorScope, position] = [
    payload.slice(0, payload.lastIndexOf(':')),
    Number(payload.slice(payload.lastIndexOf(':') + 1)),
  ];
  if (
    separator < 0 ||
    checksum(payload) !== decoded.slice(separator + 1) ||
    cursorScope !== scope ||
    !Number.isInteger(position)
  ) {
    throw new ApiError(50100, 'invalid cursor');
  }
  return position;
}

function checksum(text: string): string {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  }
  return (hash >>> 0).toString(36);
}
