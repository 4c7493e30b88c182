import { WecomConfigError, WecomError, WecomValidationError } from '@wecom-kit/core';
import { describe, expect, it } from 'vitest';
import * as browserBuild from './browser';
import * as edgeBuild from './edge';
import * as serverBuild from './index';
import { CORP_SECRET, DAY, ORIGIN, SERVER_TOKEN, setup } from './testing/proxy-stack';

const MOMENTS = '/api/wecom/cgi-bin/externalcontact/get_moment_list';
const MARK_TAG = '/api/wecom/cgi-bin/externalcontact/mark_tag';
const now = Math.floor(Date.now() / 1000);

describe('createWecomProxy forwards', () => {
  it('a read, replacing the credentials the browser sent with the server token', async () => {
    const { send, forwarded } = setup({}, () => ({
      external_contact: { external_userid: 'wm1', name: 'Ann' },
    }));
    const result = await send(
      '/api/wecom/cgi-bin/externalcontact/get?external_userid=wm1&access_token=from-browser&corpsecret=guess',
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ errcode: 0, external_contact: { name: 'Ann' } });
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]?.query.get('access_token')).toBe(SERVER_TOKEN);
    expect(forwarded[0]?.query.get('external_userid')).toBe('wm1');
    expect(forwarded[0]?.query.has('corpsecret')).toBe(false);
  });

  it('a POST read with its JSON body, without a credential smuggled into the body', async () => {
    const { post, forwarded } = setup({}, () => ({ moment_list: [], next_cursor: '' }));
    const result = await post(MOMENTS, {
      start_time: now - DAY,
      end_time: now,
      access_token: 'from-browser',
    });
    expect(result).toMatchObject({ status: 200, body: { errcode: 0, moment_list: [] } });
    expect(forwarded[0]?.body).toEqual({ start_time: now - DAY, end_time: now });
    expect(forwarded[0]?.query.get('access_token')).toBe(SERVER_TOKEN);
  });

  it('a write named in allow', async () => {
    const { post, forwarded } = setup({ allow: ['markTag'] });
    const input = { userid: 'zhangsan', external_userid: 'wm1', add_tag: ['et1'] };
    const result = await post(MARK_TAG, input);
    expect(result).toMatchObject({ status: 200, body: { errcode: 0 } });
    expect(forwarded).toEqual([
      { path: '/cgi-bin/externalcontact/mark_tag', query: expect.anything(), body: input },
    ]);
  });

  it("WeCom's business errors as WeCom sends them, with tokens echoed in errmsg redacted", async () => {
    const { send } = setup({}, () => ({
      errcode: 40096,
      errmsg: `invalid external userid, token ${SERVER_TOKEN}`,
    }));
    const result = await send('/api/wecom/cgi-bin/externalcontact/get?external_userid=wmNobody');
    expect(result.status).toBe(200);
    expect(result.body.errcode).toBe(40096);
  });

  it('to a browser client, which reads refusals as WecomErrors', async () => {
    const { proxy } = setup({}, () => ({ external_contact: { external_userid: 'wm1' } }));
    const browser = browserBuild.createWecomClient({
      baseUrl: `${ORIGIN}/api/wecom`,
      fetch: (input, init) => proxy(new Request(input, init)),
    });
    await expect(browser.call('getExternalContact', { external_userid: 'wm1' })).resolves.toMatchObject({
      external_contact: { external_userid: 'wm1' },
    });
    const refused = await browser
      .call('markTag', { userid: 'zhangsan', external_userid: 'wm1', add_tag: ['et1'] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WecomError);
    expect(refused).toMatchObject({ errcode: 48002 });
  });
});

describe('the browser build behind the proxy', () => {
  const browserClient = (proxy: (request: Request) => Promise<Response>, options = {}) => {
    let sent = 0;
    const client = browserBuild.createWecomClient({
      baseUrl: `${ORIGIN}/api/wecom`,
      fetch: (input, init) => {
        sent += 1;
        return proxy(new Request(input, init));
      },
      ...options,
    });
    return { client, sent: () => sent };
  };

  it('exports the same names as the server build, as does the edge build', () => {
    expect(Object.keys(browserBuild).sort()).toEqual(Object.keys(serverBuild).sort());
    expect(Object.keys(edgeBuild).sort()).toEqual(Object.keys(serverBuild).sort());
  });

  it('refuses the service-provider token sources, whose credentials belong on a server', () => {
    expect(() => browserBuild.createSuite({ suiteId: 'ww1', suiteSecret: CORP_SECRET })).toThrow(
      /createSuite holds/,
    );
    expect(() => browserBuild.serviceProvider({ corpId: 'ww1', providerSecret: CORP_SECRET })).toThrow(
      WecomConfigError,
    );
    expect(() => browserBuild.customizedApp({ corpId: 'ww1', permanentCode: CORP_SECRET })).toThrow(
      WecomConfigError,
    );
  });

  it('refuses a corpSecret, which would be readable by anyone who opens the page', () => {
    expect(() => browserBuild.createWecomClient({ corpId: 'ww1', corpSecret: CORP_SECRET })).toThrow(
      WecomConfigError,
    );
  });

  it('leaves validation to the proxy by default: bad input is refused there and never reaches WeCom', async () => {
    const { proxy, forwarded } = setup();
    const { client, sent } = browserClient(proxy);
    const error = await client
      .call('getMomentList', { start_time: now - 40 * DAY, end_time: now })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: 40058 });
    expect((error as Error).message).toMatch(/spans 40 days; WeCom allows at most 30/);
    expect(sent()).toBe(1);
    expect(forwarded).toEqual([]);
  });

  it('validates in the browser when given specValidation, and then sends nothing', async () => {
    const { proxy } = setup();
    const { client, sent } = browserClient(proxy, { validation: browserBuild.specValidation });
    const error = await client
      .call('getMomentList', { start_time: now - 40 * DAY, end_time: now })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WecomValidationError);
    expect(error).toMatchObject({ field: 'end_time', rule: 'window' });
    expect(sent()).toBe(0);
  });
});

describe('createWecomProxy refuses', () => {
  it('a write when only reads are allowed (the default)', async () => {
    const { post, forwarded } = setup();
    const result = await post(MARK_TAG, { userid: 'zhangsan', external_userid: 'wm1', add_tag: ['et1'] });
    expect(result).toMatchObject({ status: 403, body: { errcode: 48002 } });
    expect(result.body.errmsg).toMatch(/markTag is not allowed/);
    expect(forwarded).toEqual([]);
  });

  it('an operation missing from an explicit allow list', async () => {
    const { post, forwarded } = setup({ allow: ['markTag'] });
    const result = await post(MOMENTS, { start_time: now - DAY, end_time: now });
    expect(result.status).toBe(403);
    expect(forwarded).toEqual([]);
  });

  it('gettoken, always, and refuses to be configured to forward it', async () => {
    const { send, forwarded } = setup();
    const result = await send(`/api/wecom/cgi-bin/gettoken?corpid=wwproxytest&corpsecret=${CORP_SECRET}`);
    expect(result).toMatchObject({ status: 403, body: { errcode: 48002 } });
    expect(result.body.errmsg).toMatch(/never forwarded/);
    expect(forwarded).toEqual([]);
    expect(() => setup({ allow: ['getToken'] })).toThrow(/access token/);
    expect(() => setup({ allow: ['getMomentLists' as 'getMomentList'] })).toThrow(/not an operation/);
  });

  it.each([
    ['an unknown path', '/api/wecom/cgi-bin/externalcontact/get_everything', 404],
    ['a path outside basePath', '/cgi-bin/externalcontact/get?external_userid=wm1', 404],
    [
      'a `..` that climbs out of basePath',
      '/api/wecom/../cgi-bin/externalcontact/get?external_userid=wm1',
      404,
    ],
    ['a `..` that climbs out of the API', '/api/wecom/cgi-bin/../../../etc/passwd', 404],
    ['an encoded slash', '/api/wecom/cgi-bin%2Fexternalcontact%2Fget?external_userid=wm1', 400],
    ['an encoded `../`', '/api/wecom/cgi-bin/externalcontact/x/..%2Fget?external_userid=wm1', 400],
    ['an embedded absolute URL', '/api/wecom/https://evil.test/cgi-bin/externalcontact/get', 400],
    ['a protocol-relative URL', '/api/wecom//evil.test/cgi-bin/externalcontact/get', 400],
  ])('%s', async (_name, path, status) => {
    const { send, forwarded } = setup();
    const result = await send(path);
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject({
      errcode: 40058,
      errmsg: expect.stringMatching(/^wecom-kit proxy: /),
    });
    expect(forwarded).toEqual([]);
  });

  it('a method the operation does not take', async () => {
    const { send } = setup();
    const result = await send(MOMENTS);
    expect(result).toMatchObject({ status: 405, body: { errcode: 40058 } });
    expect(result.headers.get('allow')).toBe('POST');
  });

  it('a body over maxBodyBytes, whether Content-Length says so or not', async () => {
    const { post, send, forwarded } = setup({ maxBodyBytes: 1024 });
    const large = { start_time: now - DAY, end_time: now, filler: 'x'.repeat(2000) };
    expect(await post(MOMENTS, large)).toMatchObject({ status: 413, body: { errcode: 40206 } });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 4; index++) controller.enqueue(new TextEncoder().encode('x'.repeat(400)));
        controller.close();
      },
    });
    const streamed = await send(MOMENTS, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(forwarded).toEqual([]);
  });

  it('a body that is not a JSON object', async () => {
    const { send, post } = setup();
    expect(
      await send(MOMENTS, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"start_time":',
      }),
    ).toMatchObject({
      status: 400,
      body: { errcode: 40058 },
    });
    expect(await post(MOMENTS, [1, 2])).toMatchObject({ status: 400, body: { errcode: 40058 } });
  });

  it('an input the spec rules out, before anything reaches WeCom', async () => {
    const { post, forwarded } = setup();
    const result = await post(MOMENTS, { start_time: now - 40 * DAY, end_time: now });
    expect(result).toMatchObject({
      status: 400,
      body: { errcode: 40058, errmsg: expect.stringMatching(/30/) },
    });
    expect(forwarded).toEqual([]);
  });

  it('a basePath that is not a plain path', () => {
    expect(() => setup({ basePath: 'https://evil.test/api' })).toThrow(/basePath/);
  });
});
