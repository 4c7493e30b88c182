import { describe, expect, it } from 'vitest';
import { WecomHttpError } from './errors';
import { buildUrl, failedBeforeSending, networkErrorCode, parseWecomAnswer } from './http';

describe('parseWecomAnswer', () => {
  it('returns the body with unknown fields kept', () => {
    expect(parseWecomAnswer({ status: 200, text: '{"errcode":0,"errmsg":"ok","new_field":[1]}' })).toEqual({
      errcode: 0,
      errmsg: 'ok',
      new_field: [1],
    });
  });

  it('trusts an errcode relayed with another status by a proxy', () => {
    expect(parseWecomAnswer({ status: 502, text: '{"errcode":-1,"errmsg":"busy"}' }).errcode).toBe(-1);
  });

  it.each([
    [200, '<html>hi</html>', 'html'],
    [200, '{"errcode":0,"errm', 'truncated'],
    [200, 'garbage', 'not-json'],
    [200, '', 'not-json'],
    [200, '{"data":1}', 'unexpected-body'],
    [200, '[1,2]', 'unexpected-body'],
    [500, 'Internal Server Error', 'status'],
    [404, '{"message":"not found"}', 'status'],
  ])('HTTP %i %j → WecomHttpError(%s)', (status, text, reason) => {
    let thrown: unknown;
    try {
      parseWecomAnswer({ status, text }, 'op');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WecomHttpError);
    expect(thrown).toMatchObject({ status, reason, operationId: 'op' });
  });
});

describe('buildUrl', () => {
  it('joins baseUrl (with a path prefix), path and query, leaving out empty values', () => {
    expect(
      buildUrl('https://example.com/api/wecom', '/cgi-bin/externalcontact/get', {
        external_userid: 'wm a&b',
        cursor: undefined,
        limit: 10,
        flag: null,
      }),
    ).toBe('https://example.com/api/wecom/cgi-bin/externalcontact/get?external_userid=wm+a%26b&limit=10');
  });
});

describe('network error codes', () => {
  it('finds the code in the cause chain and knows which failures happen before sending', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(networkErrorCode(error)).toBe('ECONNREFUSED');
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(failedBeforeSending(error)).toBe(true);
    expect(failedBeforeSending(reset)).toBe(false);
    expect(failedBeforeSending(Object.assign(reset, { notSent: true }))).toBe(true);
    expect(failedBeforeSending(new Error('no code'))).toBe(false);
    expect(failedBeforeSending(undefined)).toBe(false);
  });
});
