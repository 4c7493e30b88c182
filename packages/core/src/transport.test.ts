import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserTransport } from './browser-transport';
import { WecomConfigError, WecomError } from './errors';
import { observe, rejectionOf } from './testing/audit';
import {
  eventsOfType,
  readInput,
  readOp,
  transportFor,
  writeInput,
  writeOp,
} from './testing/transport-fixtures';
import { FakeWecom, READ_PATH } from './testing/wecom-server';
import { createTransport } from './transport';

let fake: FakeWecom;
beforeAll(async () => {
  fake = await FakeWecom.start();
});
afterAll(() => fake.close());

describe('createTransport', () => {
  it('resolves a read to the whole success body, unknown fields included', async () => {
    const { transport, events } = transportFor(fake);
    const body = await transport.request<Record<string, unknown>>(readOp, readInput);
    expect(body).toMatchObject({
      errcode: 0,
      external_contact: { external_userid: 'wmUser1' },
      field_added_by_wecom_later: { kept: true },
    });
    expect(eventsOfType(events, 'request')).toEqual([
      { type: 'request', operationId: 'getExternalContact', attempt: 1, method: 'GET', path: READ_PATH },
    ]);
    const [response] = eventsOfType(events, 'response');
    expect(response).toMatchObject({
      operationId: 'getExternalContact',
      attempt: 1,
      status: 200,
      errcode: 0,
    });
    expect(response?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('sends POST input as a JSON body and the token in the query only', async () => {
    const seen: { url: string; body: string }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), body: String(init?.body) });
      return fetch(input, init);
    };
    const { transport } = transportFor(fake, { fetch: recordingFetch });
    const before = fake.applied.length;
    await transport.request(writeOp, writeInput);
    expect(fake.applied.slice(before)).toEqual([writeInput.body]);
    const write = seen.find((request) => request.url.includes('add_msg_template'));
    expect(write?.url).toMatch(/\?access_token=tok_[0-9a-f]+$/);
    expect(JSON.parse(write?.body ?? '')).toEqual(writeInput.body);
  });

  it('throws a WecomError with errcode, requestId, category and operationId for errcode ≠ 0', async () => {
    const { transport } = transportFor(fake);
    fake.fault(READ_PATH, {
      type: 'errcode',
      errcode: 40096,
      errmsg: 'invalid external userid, hint: [abc123], from ip: 1.2.3.4',
    });
    const error = await rejectionOf(transport.request(readOp, readInput));
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({
      errcode: 40096,
      requestId: 'abc123',
      category: 'client',
      operationId: 'getExternalContact',
    });
    expect((error as Error).message).toContain(
      'getExternalContact failed with WeCom errcode 40096 "invalid external userid"',
    );
  });

  it('exchange returns a final business error as the body instead of throwing', async () => {
    const { transport } = transportFor(fake);
    fake.fault(READ_PATH, { type: 'errcode', errcode: 84061, errmsg: 'not external contact' });
    const { body } = await transport.exchange(readOp, readInput);
    expect(body).toMatchObject({ errcode: 84061, errmsg: 'not external contact' });
  });

  it.each([
    ['createTransport without corpSecret', createTransport],
    ['createBrowserTransport', createBrowserTransport],
  ])('in browser mode (%s) sends no token and never calls gettoken', async (_name, create) => {
    const urls: string[] = [];
    const transport = create({
      baseUrl: `${fake.baseUrl}/`,
      fetch: async (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
      onEvent: observe,
    });
    const gettokens = fake.gettokenCalls;
    const { body } = await transport.exchange(readOp, readInput);
    // The fake plays a proxy that did not add a token, so WeCom's missing-token answer comes back.
    expect(body.errcode).toBe(41001);
    expect(urls).toEqual([`${fake.baseUrl}${READ_PATH}?external_userid=wmUser1`]);
    expect(fake.gettokenCalls).toBe(gettokens);
    expect(transport.tokens).toBeUndefined();
  });

  it('the browser transport refuses a corpSecret before anything is sent', () => {
    expect(() => createBrowserTransport({ corpId: 'ww1', corpSecret: 'abcdefgh' })).toThrow(
      /corpSecret was given to the browser build.*createWecomProxy/,
    );
  });

  it('the browser transport retries a busy read like the server one', async () => {
    const transport = createBrowserTransport({
      baseUrl: fake.baseUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      onEvent: observe,
    });
    fake.fault(READ_PATH, { type: 'errcode', errcode: -1, errmsg: 'system busy' });
    const before = fake.requestCounts.get(READ_PATH) ?? 0;
    const { body } = await transport.exchange(readOp, readInput);
    // The second answer is the fake's own: a proxy that added no token gets WeCom's missing-token errcode.
    expect(body.errcode).toBe(41001);
    expect((fake.requestCounts.get(READ_PATH) ?? 0) - before).toBe(2);
  });

  it('rejects unusable options with a WecomConfigError saying what to fix', () => {
    expect(() => createTransport({ corpSecret: 'abcdefgh' })).toThrow(/corpSecret was given without corpId/);
    expect(() => createTransport({ baseUrl: 'qyapi.weixin.qq.com' })).toThrow(WecomConfigError);
  });

  it('refuses a corpId whose corpSecret is unset or empty, naming corpSecret, instead of sending without a token', () => {
    const unsetVariable = process.env.WECOM_TEST_SECRET_THAT_IS_NEVER_SET;
    expect(() => createTransport({ corpId: 'ww1', corpSecret: unsetVariable })).toThrow(
      /^corpSecret is missing next to corpId: pass the app's Secret as corpSecret/,
    );
    expect(() => createTransport({ corpId: 'ww1', corpSecret: '' })).toThrow(WecomConfigError);
    expect(() => createTransport({ corpSecret: '' })).toThrow(/corpSecret is empty/);
    // Neither value: the explicit way to talk to a proxy from a server.
    expect(createTransport({ baseUrl: fake.baseUrl }).tokens).toBeUndefined();
  });

  it('stops at once when the caller aborts, with the signal reason', async () => {
    const { transport } = transportFor(fake);
    fake.fault(READ_PATH, { type: 'latency', ms: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('user navigated away')), 50);
    const error = await rejectionOf(transport.request(readOp, readInput, { signal: controller.signal }));
    expect((error as Error).message).toBe('user navigated away');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('a listener that throws does not break the call', async () => {
    const transport = createTransport({
      corpId: fake.corpId,
      corpSecret: fake.corpSecret,
      baseUrl: fake.baseUrl,
      onEvent: () => {
        throw new Error('broken logger');
      },
    });
    await expect(transport.request(readOp, readInput)).resolves.toMatchObject({ errcode: 0 });
  });
});
