import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { createCursorCodec } from './cursor';

const errcodeOf = (run: () => unknown): number | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.errcode : -999;
  }
};

describe('page cursors', () => {
  const codec = createCursorCodec();

  it('round-trips the position of its own scope; none means the start', () => {
    expect(codec.decode('contact_list', codec.encode('contact_list', 300))).toBe(300);
    expect(codec.decode('contact_list', undefined)).toBe(0);
    expect(codec.decode('contact_list', '')).toBe(0);
  });

  it('refuses a cursor of another scope, a truncated one and one from another sandbox', () => {
    const cursor = codec.encode('contact_list', 300);
    expect(errcodeOf(() => codec.decode('get_moment_list', cursor))).toBe(50100);
    expect(errcodeOf(() => codec.decode('contact_list', cursor.slice(0, -3)))).toBe(50100);
    expect(errcodeOf(() => createCursorCodec().decode('contact_list', cursor))).toBe(50100);
  });

  it('refuses a forged position even with a recomputed checksum of any public kind', () => {
    const [scope, , mac] = Buffer.from(codec.encode('contact_list', 300), 'base64url').toString().split(':');
    for (const position of ['900', '-100', '1e3', '9007199254740993']) {
      const payload = `${scope}:${position}`;
      const digests = [mac, createHash('sha256').update(payload).digest('base64url').slice(0, 22)];
      for (const digest of digests) {
        const forged = Buffer.from(`${payload}:${digest}`).toString('base64url');
        expect(errcodeOf(() => codec.decode('contact_list', forged))).toBe(50100);
      }
    }
  });

  it('refuses negative positions even when signed with the right key', () => {
    const secret = Buffer.alloc(32, 7);
    const signer = createCursorCodec(secret);
    expect(errcodeOf(() => signer.decode('contact_list', signer.encode('contact_list', -5)))).toBe(50100);
  });
});
