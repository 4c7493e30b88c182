import { describe, expect, it } from 'vitest';
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

  it('ignores values too short to be secrets', () => {
    registerSensitiveValue('ok');
    expect(redact('ok')).toBe('ok');
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
