import { describe, expect, it } from 'vitest';
import {
  WecomConfigError,
  WecomError,
  WecomHttpError,
  WecomKitError,
  WecomNetworkError,
  WecomOutcomeUnknownError,
  WecomTimeoutError,
  WecomValidationError,
} from './errors';
import { registerSensitiveValue } from './redact';
import { exposedText } from './testing/audit';

describe('WecomError', () => {
  it('parses a real WeCom body: errcode, errmsg, hint, category, advice', () => {
    const error = WecomError.fromBody(
      {
        errcode: 42001,
        errmsg:
          'access_token expired, hint: [1737759218426833351570099], from ip: , more info at https://open.work.weixin.qq.com/devtool/query?e=42001',
      },
      'getMomentList',
    );
    expect(error).toBeInstanceOf(WecomKitError);
    expect(error).toMatchObject({
      name: 'WecomError',
      errcode: 42001,
      requestId: '1737759218426833351570099',
      category: 'token',
      operationId: 'getMomentList',
    });
    expect(error.message).toBe(
      'getMomentList failed with WeCom errcode 42001 "access_token expired". ' +
        'The access token was refused even after fetching a fresh one; check that corpSecret belongs to the app that may call this API.',
    );
  });

  it('handles codes the catalog does not know', () => {
    const error = new WecomError({ errcode: 987654, errmsg: 'something new' });
    expect(error.category).toBe('permanent');
    expect(error.message).toMatch(/^The WeCom call failed with WeCom errcode 987654 "something new"\. /);
    expect(error.message).toContain('devtool/query?e=987654');
  });
});

describe('WecomHttpError', () => {
  it('keeps a short, single-line snippet of what came instead of JSON', () => {
    const error = new WecomHttpError({
      status: 502,
      body: `<html>\n  <body>${'x'.repeat(500)}</body></html>`,
      reason: 'status',
    });
    expect(error.bodySnippet.startsWith('<html> <body>')).toBe(true);
    expect(error.bodySnippet.length).toBe(160);
    expect(error.message).toMatch(/got HTTP 502 .*retry later/);
  });
});

describe('every error class', () => {
  it('keeps secrets out of message, stack, properties and cause', () => {
    const secret = 'secret-abcdef-0123456789';
    registerSensitiveValue(secret);
    const leakyCause = new Error(
      `connect failed for https://x/cgi-bin/gettoken?corpid=ww&corpsecret=${secret}`,
    );
    const errors = [
      new WecomError({ errcode: 40001, errmsg: `invalid credential ${secret}`, cause: leakyCause }),
      new WecomHttpError({ status: 200, body: `<html>${secret}</html>`, reason: 'html', cause: leakyCause }),
      new WecomNetworkError({ cause: leakyCause, code: 'ECONNREFUSED' }),
      new WecomTimeoutError({ timeoutMs: 10, scope: 'attempt', waitingFor: 'answer', cause: leakyCause }),
      new WecomValidationError({ message: `bad ${secret}`, field: 'a', rule: 'type' }),
      new WecomConfigError({ message: `wrong secret ${secret}`, cause: leakyCause }),
      new WecomOutcomeUnknownError({ cause: leakyCause }),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(WecomKitError);
      expect(exposedText(error)).not.toContain(secret);
    }
  });

  it('says what happened and what to do', () => {
    expect(
      new WecomNetworkError({ operationId: 'getMomentList', cause: new Error('x'), code: 'ENOTFOUND' })
        .message,
    ).toBe(
      'getMomentList could not reach WeCom (ENOTFOUND). Check the network, DNS and baseUrl, then retry.',
    );
    expect(
      new WecomTimeoutError({ operationId: 'op', timeoutMs: 30_000, scope: 'deadline', waitingFor: 'answer' })
        .message,
    ).toBe(
      "op ran past the overall deadline of 30000 ms (option retry.deadlineMs) while waiting for WeCom's answer. Retry later or raise the limit.",
    );
    const validation = new WecomValidationError({
      operationId: 'op',
      field: 'limit',
      rule: 'maximum',
      message: 'op: "limit" is 30.',
    });
    expect(validation).toMatchObject({
      field: 'limit',
      rule: 'maximum',
      operationId: 'op',
      message: 'op: "limit" is 30.',
    });
  });
});
