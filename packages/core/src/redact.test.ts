import { afterEach, describe, expect, it, vi } from 'vitest';
import { REDACTED, redact, redactUrl, redactValue, registerSensitiveValue } from './redact';

describe('redact', () => {
  it('removes tokens and secrets from URLs', () => {
    expect(redactUrl('https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=abc-DEF_123')).toBe(
      `https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=${REDACTED}`,
    );
    expect(redact('GET /cgi-bin/externalcontact/get?access_token=T0k3n&external_userid=wm1')).toBe(
      `GET /cgi-bin/externalcontact/get?access_token=${REDACTED}&external_userid=wm1`,
    );
  });

  it('removes them from JSON and inspected objects', () => {
    expect(redact('{"access_token":"abc\\"def","expires_in":7200}')).toBe(
      `{"access_token":"${REDACTED}","expires_in":7200}`,
    );
    expect(redact("{ corpSecret: 'xyz', corpId: 'ww1' }")).toBe(
      `{ corpSecret: '${REDACTED}', corpId: 'ww1' }`,
    );
  });

  it('removes registered values wherever they appear, also URL-encoded', () => {
    registerSensitiveValue('tok/with+special=chars');
    expect(redact('proxy said: tok/with+special=chars was bad')).toBe(`proxy said: ${REDACTED} was bad`);
    expect(redact(`x=${encodeURIComponent('tok/with+special=chars')}`)).toBe(`x=${REDACTED}`);
  });

  it('redacts short values too: a short secret is still a secret', () => {
    registerSensitiveValue('k3Y9');
    expect(redact('signed with k3Y9')).toBe(`signed with ${REDACTED}`);
    expect(redact('corpsecret:k3Y9, again "k3Y9"')).toBe(`corpsecret:${REDACTED}, again "${REDACTED}"`);
  });

  it('leaves words that merely contain a short value alone', () => {
    registerSensitiveValue('s');
    expect(redact('specCheck.sampleRate is 2; the secret is s')).toBe(
      `specCheck.sampleRate is 2; the secret is ${REDACTED}`,
    );
  });

  it('redacts credential keys inside long words without scanning them once per letter', () => {
    expect(redact(`${'a'.repeat(50_000)} suite_access_token=abc`)).toBe(
      `${'a'.repeat(50_000)} suite_access_token=${REDACTED}`,
    );
    expect(redact(`{"${'x'.repeat(20_000)}secret":"v"}`)).toBe(
      `{"${'x'.repeat(20_000)}secret":"${REDACTED}"}`,
    );
  });
});

describe('the registry of sensitive values', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps a client's secret however many other secrets and tokens come after it", () => {
    const owners = Array.from({ length: 600 }, (_, corp) => ({ corp }));
    owners.forEach((owner, corp) => {
      registerSensitiveValue(`secret-of-corp-${corp}-0123456789`, { owner });
    });
    for (let token = 0; token < 2_000; token += 1) {
      registerSensitiveValue(`token-${token}-abcdefghij`, { expiresAt: Date.now() + 7_200_000 });
    }
    expect(redact('errmsg: secret-of-corp-0-0123456789')).toBe(`errmsg: ${REDACTED}`);
    expect(redact('token-0-abcdefghij')).toBe(REDACTED);
    expect(owners).toHaveLength(600); // the owners are still alive here
  });

  it('forgets a token only after it expired', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    registerSensitiveValue('short-lived-token-77', { expiresAt: 1_000_000 + 60_000 });
    for (let filler = 0; filler < 200; filler += 1) registerSensitiveValue(`filler-${filler}-token`);
    expect(redact('short-lived-token-77')).toBe(REDACTED);
    vi.setSystemTime(1_000_000 + 60_001);
    for (let filler = 200; filler < 2_000; filler += 1) registerSensitiveValue(`filler-${filler}-token`);
    expect(redact('short-lived-token-77')).toBe('short-lived-token-77');
  });

  it('finds every one of thousands of values in one pass, the longest where several start at one place', () => {
    const values = Array.from({ length: 3_000 }, (_, corp) => `corp-${corp}-secret-${corp * 7919}`);
    for (const value of values) registerSensitiveValue(value);
    registerSensitiveValue('corp-1-secret-7919-and-more');
    const text = values.map((value, index) => `#${index} ${value};`).join(' ');
    expect(redact(text)).toBe(values.map((_, index) => `#${index} ${REDACTED};`).join(' '));
    // Same first characters, different lengths: the longer registered value is removed whole.
    expect(redact('x corp-1-secret-7919-and-more y')).toBe(`x ${REDACTED} y`);
    expect(redact(`q=${encodeURIComponent('corp-2-secret-15838')}`)).toBe(`q=${REDACTED}`);
    expect(redact('corp-3-secret-00000 is not one of them')).toBe('corp-3-secret-00000 is not one of them');
  });
});

describe('redactValue', () => {
  it('copies nested objects, arrays and error chains with every string redacted', () => {
    registerSensitiveValue('very-secret-token-1');
    const cause = Object.assign(new Error('socket closed for ?access_token=very-secret-token-1'), {
      code: 'ECONNRESET',
    });
    const error = new TypeError('fetch failed', { cause });
    const copy = redactValue({ list: ['very-secret-token-1'], error });
    expect(copy.list).toEqual([REDACTED]);
    expect(copy.error.message).toBe('fetch failed');
    expect(copy.error.name).toBe('TypeError');
    const copiedCause = copy.error.cause as Error & { code: string };
    expect(copiedCause.message).toBe(`socket closed for ?access_token=${REDACTED}`);
    expect(copiedCause.code).toBe('ECONNRESET');
    expect(copiedCause.stack).not.toContain('very-secret-token-1');
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redactValue(cyclic)).toEqual({ name: 'a', self: '[omitted]' });
  });
});
