// redact() runs on every error message, event and proxy answer: text an attacker controls must not
// cost it more than a pass or two over the input.
import { REDACTED, redact } from '@wecom-kit/core';
import { describe, expect, it } from 'vitest';

const MB = 1024 * 1024;

// Linear: about 20 ms per MB here. Quadratic, as before (64,000 letters took 5.5 s), 1 MB would
// take over 20 minutes. A 5 s bound separates the two on any machine, however loaded.
const BOUND_MS = 5_000;

const hostileInputs: [string, string][] = [
  ['one long word', 'a'.repeat(MB)],
  ['a key name repeated without a break', 'secret'.repeat(MB / 6)],
  ['query-like words', 'x_'.repeat(MB / 2)],
  ['keys with unterminated quoted values', `secret:"${'\\"'.repeat(MB / 4)}`],
  ['many short keys', 'access_token='.repeat(MB / 13)],
];

describe('redact on 1 MB of hostile text', () => {
  it.each(hostileInputs)('%s: linear time', (_name, text) => {
    const started = performance.now();
    redact(text);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });

  it('still redacts at the end of 1 MB', () => {
    const text = `${'a'.repeat(MB)} corpsecret=abc123`;
    expect(redact(text).endsWith(`corpsecret=${REDACTED}`)).toBe(true);
  });
});
