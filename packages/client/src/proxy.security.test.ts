import { QueuedLimiter, WecomConfigError, WecomError, WecomHttpError } from '@wecom-kit/core';
import { describe, expect, it, vi } from 'vitest';
import * as browserBuild from './browser';
import { createWecomClient } from './index';
import { createWecomProxy, isAllowedHost } from './proxy';
import { CORP_SECRET, DAY, ORIGIN, setup } from './testing/proxy-stack';

const GET_CONTACT = '/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1';
const MOMENTS = '/api/wecom/cgi-bin/externalcontact/get_moment_list';
const MARK_TAG = '/api/wecom/cgi-bin/externalcontact/mark_tag';
const TAG_INPUT = { userid: 'zhangsan', external_userid: 'wm1', add_tag: ['et1'] };
const now = Math.floor(Date.now() / 1000);

describe('createWecomProxy: who may call', () => {
  it('cannot be created without authorize, and says what to pass', () => {
    const client = createWecomClient({ corpId: 'ww1', corpSecret: CORP_SECRET });
    const create = () => createWecomProxy({ client } as Parameters<typeof createWecomProxy>[0]);
    expect(create).toThrow(WecomConfigError);
    expect(create).toThrow(/pass authorize\(request, operationId\)/);
  });

  it.each([null, undefined, false, '', true])(
    'refuses with 403 when authorize answers %s: nothing forwarded, no token fetched',
    async (answer) => {
      const authorize = vi.fn(() => answer as string | null);
      const { send, forwarded, tokenFetches } = setup({ authorize });
      const result = await send(GET_CONTACT);
      expect(result).toMatchObject({ status: 403, body: { errcode: 48002 } });
      expect(authorize).toHaveBeenCalledWith(expect.any(Request), 'getExternalContact');
      expect(forwarded).toEqual([]);
      expect(tokenFetches()).toBe(0);
    },
  );

  it('fails closed when authorize throws', async () => {
    const onError = vi.fn();
    const { send, forwarded } = setup({
      authorize: () => {
        throw new Error('session store down');
      },
      onError,
    });
    expect((await send(GET_CONTACT)).status).toBe(500);
    expect(forwarded).toEqual([]);
    expect(onError).toHaveBeenCalledOnce();
  });

  it('refuses cross-site and non-JSON writes before authorize runs', async () => {
    const authorize = vi.fn(() => 'user-1');
    const { send, forwarded } = setup({ authorize, allow: ['markTag'] });
    const body = JSON.stringify(TAG_INPUT);
    const attempts: [RequestInit, number][] = [
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body }, 415],
      [{ method: 'POST', body }, 415],
      [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
          body,
        },
        403,
      ],
      [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'https://evil.test' },
          body,
        },
        403,
      ],
    ];
    for (const [init, status] of attempts) expect((await send(MARK_TAG, init)).status).toBe(status);
    expect(authorize).not.toHaveBeenCalled();
    expect(forwarded).toEqual([]);
  });

  it('accepts its own origin by default and the configured ones otherwise', async () => {
    const { send } = setup({ allowedOrigins: ['https://crm.example.com'] });
    const from = (origin: string) => send(GET_CONTACT, { headers: { origin } });
    expect((await from('https://crm.example.com')).status).toBe(200);
    expect((await from(ORIGIN)).status).toBe(403);
    const own = setup();
    expect((await own.send(GET_CONTACT, { headers: { origin: ORIGIN } })).status).toBe(200);
  });

  it('answers only to loopback host names unless allowedHosts names others (DNS rebinding)', async () => {
    const { proxy } = setup({ allowedHosts: undefined });
    const status = async (url: string) => (await proxy(new Request(url))).status;
    expect(
      await status('http://rebind.evil.test:4000/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1'),
    ).toBe(403);
    expect(
      await status('http://127.0.0.1:4000/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1'),
    ).toBe(200);
    expect(await status('http://localhost/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1')).toBe(
      200,
    );
  });

  it.each([
    ['127.0.0.1:4000', undefined, true],
    ['localhost:4000', undefined, true],
    ['[::1]:4010', undefined, true],
    ['app.localhost', undefined, true],
    ['rebind.evil.test:4000', undefined, false],
    ['localhost@evil.test', undefined, false],
    ['localhost/x', undefined, false],
    ['', undefined, false],
    [undefined, undefined, false],
    ['crm.example.com', ['crm.example.com'], true],
    ['localhost:4000', ['crm.example.com'], false],
  ])('isAllowedHost(%s, %s) is %s', (host, allowed, expected) => {
    expect(isAllowedHost(host, allowed)).toBe(expected);
  });

  it('gives each caller its own budget, answering 429 with Retry-After to the one over it', async () => {
    const callers = ['noisy', 'noisy', 'noisy', 'quiet'];
    const { send, forwarded } = setup({
      authorize: () => callers.shift() ?? null,
      perCaller: { perMinute: 2, limiter: new QueuedLimiter({ windowMs: 60_000 }) },
    });
    const statuses = [];
    for (let call = 0; call < 4; call += 1) statuses.push(await send(GET_CONTACT));
    expect(statuses.map((result) => result.status)).toEqual([200, 200, 429, 200]);
    expect(statuses[2]?.body).toMatchObject({ errcode: 45009 });
    expect(statuses[2]?.headers.get('retry-after')).toBe('60');
    expect(forwarded).toHaveLength(3);
  });
});

describe('createWecomProxy: what is forwarded', () => {
  it('only the query parameters the spec declares', async () => {
    const { send, forwarded } = setup();
    await send(`${GET_CONTACT}&cursor=c1&debug=1&agentid=9&access_token=x&corpsecret=y`);
    expect([...(forwarded[0]?.query.keys() ?? [])].sort()).toEqual([
      'access_token',
      'cursor',
      'external_userid',
    ]);
    expect(forwarded[0]?.query.get('access_token')).not.toBe('x');
  });

  it('refuses JSON nested deeper than 64 levels with 400 instead of forwarding it', async () => {
    const { send, forwarded } = setup();
    const deep = `{"start_time":${now - DAY},"end_time":${now},"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const result = await send(MOMENTS, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(result).toMatchObject({ status: 400, body: { errcode: 40058 } });
    expect(result.body.errmsg).toMatch(/deeper than 64/);
    expect(forwarded).toEqual([]);
  });

  it('never echoes the request path into a refusal', async () => {
    const { send } = setup();
    const path = `/api/wecom/cgi-bin/${'a'.repeat(16_000)}`;
    const result = await send(path);
    expect(result.status).toBe(404);
    expect(JSON.stringify(result.body)).not.toContain('aaaa');
  });
});

describe('createWecomProxy: what the browser learns of failures', () => {
  it("keeps configuration advice and WeCom's `from ip:` text on the server", async () => {
    const onError = vi.fn();
    const { send } = setup({ onError }, () => ({
      errcode: 60020,
      errmsg: 'not allow to access from your ip, hint: [1], from ip: 203.0.113.7',
    }));
    const result = await send(GET_CONTACT);
    expect(result.body.errcode).toBe(60020);
    expect(result.body.errmsg).not.toMatch(/203\.0\.113\.7|from ip/);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ operationId: 'getExternalContact', caller: 'user-1' }),
    );
  });

  it('makes one browser request and one series of server retries when WeCom keeps failing', async () => {
    let upstream = 0;
    const { proxy } = setup(
      { onError: () => {} },
      () => {
        upstream += 1;
        return new Response('<html>bad gateway</html>', { status: 502 });
      },
      { maxAttempts: 4, baseDelayMs: 0 },
    );
    let browserRequests = 0;
    const browser = browserBuild.createWecomClient({
      baseUrl: `${ORIGIN}/api/wecom`,
      fetch: (input, init) => {
        browserRequests += 1;
        return proxy(new Request(input, init));
      },
    });
    const error = await browser.call('getExternalContact', { external_userid: 'wm1' }).catch((e) => e);
    expect(browserRequests).toBe(1);
    expect(upstream).toBe(4);
    // A transport failure keeps its own class: not "WeCom errcode -1".
    expect(error).toBeInstanceOf(WecomHttpError);
    expect(error).not.toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ status: 502 });
    expect(error.message).toMatch(/WeCom could not be reached/);
  });
});
