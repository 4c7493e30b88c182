import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { observe, rememberSensitive } from '../testing/audit';
import { OFFICIAL_SAMPLE } from './crypto.fixtures';
import { createCallbackRequest, createUrlVerificationRequest, sealCallbackMessage } from './deliver';
import {
  type CallbackAddExternalContact,
  type CallbackMessage,
  type CallbackUpdateExternalChat,
  type CustomerContactEventName,
  isCustomerContactEvent,
} from './events';
import { OFFICIAL_EVENT_EXAMPLES } from './events.fixtures';
import {
  type CallbackDelivery,
  type CallbackHandlerOptions,
  type CallbackHandlers,
  type CallbackRejection,
  createCallbackHandler,
} from './handler';

const URL_BASE = 'https://app.example.com/wecom/callback';
const config = {
  token: 'ExampleToken7',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  corpId: 'ww4asffe99e54c0f4c',
};
// The audit set up for every test file checks that neither appears in a rejection or a reported error.
rememberSensitive(config.token);
rememberSensitive(config.encodingAESKey);
const NOW = 1_700_000_000;
const { event: added } = OFFICIAL_EVENT_EXAMPLES.addExternalContact;

/** A handler whose every delivery and refusal is recorded. */
function setup(overrides: Partial<CallbackHandlerOptions> = {}) {
  const delivered: { handler: string; message: CallbackMessage; delivery: CallbackDelivery }[] = [];
  const rejections: CallbackRejection[] = [];
  const errors: unknown[] = [];
  const record =
    (handler: string) =>
    (message: CallbackMessage, delivery: CallbackDelivery): void => {
      delivered.push({ handler, message, delivery });
    };
  const on: CallbackHandlers = Object.fromEntries(
    [...(Object.keys(OFFICIAL_EVENT_EXAMPLES) as CustomerContactEventName[]), 'event'].map((name) => [
      name,
      record(name),
    ]),
  );
  const handle = createCallbackHandler({
    ...config,
    on,
    onRejected: (rejection) => {
      observe(rejection);
      rejections.push(rejection);
    },
    onError: (error) => {
      observe(error);
      errors.push(error);
    },
    ...overrides,
  });
  return { handle, delivered, rejections, errors };
}

const post = (message: Parameters<typeof createCallbackRequest>[1], options: Partial<typeof config> = {}) =>
  createCallbackRequest(URL_BASE, message, { ...config, timestamp: NOW, ...options });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('URL verification (GET)', () => {
  it('answers the official sample request with the decrypted echostr', async () => {
    const { token, encodingAESKey, corpId, verifyUrl } = OFFICIAL_SAMPLE;
    vi.setSystemTime(Number(verifyUrl.timestamp) * 1000);
    const handle = createCallbackHandler({ token, encodingAESKey, corpId, on: {} });
    // Encoded as the sample shows it arriving, %2F and %2B included.
    const query = `msg_signature=${verifyUrl.msgSignature}&timestamp=${verifyUrl.timestamp}&nonce=${verifyUrl.nonce}&echostr=${encodeURIComponent(verifyUrl.echostr)}`;
    const response = await handle(new Request(`${URL_BASE}?${query}`));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(verifyUrl.echo);
  });

  it('still verifies when a proxy decoded the + of echostr as a space', async () => {
    const { handle } = setup();
    const request = createUrlVerificationRequest(URL_BASE, 'echo-1', { ...config, timestamp: NOW });
    const url = new URL(request.url);
    const raw = `${URL_BASE}?${url.search.slice(1).replaceAll('%2B', '+')}`;
    const response = await handle(new Request(raw));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('echo-1');
  });

  it('refuses a verification signed with another token', async () => {
    const { handle, rejections } = setup();
    const response = await handle(
      createUrlVerificationRequest(URL_BASE, 'x', { ...config, token: 'other', timestamp: NOW }),
    );
    expect(response.status).toBe(401);
    expect(rejections.map(({ reason }) => reason)).toEqual(['signature']);
  });
});

describe('event delivery (POST)', () => {
  it('decrypts the official sample message and hands it to the catch-all only', async () => {
    const { token, encodingAESKey, corpId, message } = OFFICIAL_SAMPLE;
    vi.setSystemTime(Number(message.timestamp) * 1000);
    const received: CallbackMessage[] = [];
    const handle = createCallbackHandler({
      token,
      encodingAESKey,
      corpId,
      on: { event: (m) => void received.push(m) },
    });
    const body = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${message.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    const response = await handle(
      new Request(
        `${URL_BASE}?msg_signature=${message.msgSignature}&timestamp=${message.timestamp}&nonce=${message.nonce}`,
        { method: 'POST', body },
      ),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('success');
    expect(received).toEqual([
      {
        ToUserName: corpId,
        FromUserName: 'mycreate',
        CreateTime: 1409659813,
        MsgType: 'text',
        Content: 'hello',
        MsgId: '4561255354251345929',
        AgentID: '218',
      },
    ]);
  });

  it.each(Object.entries(OFFICIAL_EVENT_EXAMPLES))(
    'dispatches %s to its handler, then to the catch-all',
    async (name, { event }) => {
      const { handle, delivered } = setup();
      const response = await handle(post(event));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('success');
      expect(delivered.map(({ handler }) => handler)).toEqual([name, 'event']);
      expect(delivered[0]?.message).toEqual(event);
      expect(delivered[0]?.delivery.name).toBe(name);
      expect(delivered[0]?.delivery.xml).toContain('<xml>');
    },
  );

  it('hands an event it does not know to the catch-all alone', async () => {
    const { handle, delivered } = setup();
    await handle(post({ ...added, ChangeType: 'msg_audit_approved' }));
    expect(delivered.map(({ handler, delivery }) => [handler, delivery.name])).toEqual([
      ['event', undefined],
    ]);
  });

  it('waits for an async handler before answering', async () => {
    const order: string[] = [];
    const handle = createCallbackHandler({
      ...config,
      on: {
        addExternalContact: async () => {
          await Promise.resolve();
          order.push('handled');
        },
      },
    });
    await handle(post(added));
    order.push('answered');
    expect(order).toEqual(['handled', 'answered']);
  });

  it('answers before WeCom gives up when a handler is slow, and reports its later failure', async () => {
    vi.useRealTimers();
    let settled = false;
    const { handle, errors } = setup({
      replyWithinMs: 20,
      on: {
        addExternalContact: () =>
          new Promise<void>((_resolve, reject) =>
            setTimeout(() => {
              settled = true;
              reject(new Error('too late'));
            }, 1_500),
          ),
      },
    });
    const response = await handle(createCallbackRequest(URL_BASE, added, config));
    // The reply does not wait for the handler (no wall-clock threshold: the order is what matters).
    expect(response.status).toBe(200);
    expect(settled).toBe(false);
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5_000 });
  });

  it('answers 500 when a handler fails, so that WeCom retries, and delivers the retry', async () => {
    let attempts = 0;
    const { handle, errors } = setup({
      on: {
        addExternalContact: () => {
          attempts += 1;
          if (attempts === 1) throw new Error('database down');
        },
      },
    });
    expect((await handle(post(added))).status).toBe(500);
    expect(errors).toHaveLength(1);
    expect((await handle(post(added))).status).toBe(200);
    expect(attempts).toBe(2);
  });
});

describe('duplicate deliveries', () => {
  it('deliver an identical retry once', async () => {
    const { handle, delivered } = setup();
    const request = post(added);
    const responses = [await handle(request.clone()), await handle(request)];
    expect(responses.map(({ status }) => status)).toEqual([200, 200]);
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(1);
  });

  it('deliver a retry that was signed and encrypted again once', async () => {
    const { handle, delivered } = setup();
    await handle(post(added, {}));
    vi.setSystemTime((NOW + 5) * 1000);
    await handle(createCallbackRequest(URL_BASE, added, { ...config, timestamp: NOW + 5, nonce: 'another' }));
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(1);
  });

  it('deliver concurrent copies once', async () => {
    const { handle, delivered } = setup();
    await Promise.all([handle(post(added)), handle(post(added)), handle(post(added))]);
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(1);
  });

  it('still deliver two different events raised in the same second', async () => {
    const { handle, delivered } = setup();
    await handle(post(added));
    await handle(post({ ...added, ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mABBBB' }));
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(2);
  });

  it('are delivered every time when dedupe is off', async () => {
    const { handle, delivered } = setup({ dedupe: false });
    await handle(post(added));
    await handle(post(added));
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(2);
  });

  it('use the store given, and still deliver when it fails', async () => {
    const claims: [string, number][] = [];
    const { handle, delivered, errors } = setup({
      maxSkewSeconds: 120,
      dedupe: {
        store: {
          claim: (key, ttl) => {
            claims.push([key, ttl]);
            throw new Error('redis down');
          },
          release: () => undefined,
        },
      },
    });
    await handle(post(added));
    expect(claims).toEqual([
      [expect.stringMatching(/^wecom:callback:ww4asffe99e54c0f4c:[0-9a-f]{64}$/), 240],
    ]);
    expect(errors).toHaveLength(1);
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(1);
  });
});

describe('refused requests never reach a handler', () => {
  const sealed = () => sealCallbackMessage(added, { ...config, timestamp: NOW });
  const requestWith = (query: Record<string, string>, body: string, init: RequestInit = {}) =>
    new Request(`${URL_BASE}?${new URLSearchParams(query)}`, { method: 'POST', body, ...init });

  it.each([
    [
      'a bad signature',
      401,
      'signature',
      () => {
        const { query, body } = sealed();
        return requestWith({ ...query, msg_signature: '0'.repeat(40) }, body);
      },
    ],
    [
      'a body swapped under a valid signature',
      401,
      'signature',
      () => requestWith(sealed().query, sealed().body),
    ],
    ['another token', 401, 'signature', () => post(added, { token: 'SomeoneElse' })],
    ['a message encrypted for another corp', 403, 'receive-id', () => post(added, { corpId: 'wwOtherCorp' })],
    [
      'a stale timestamp',
      401,
      'stale',
      () => createCallbackRequest(URL_BASE, added, { ...config, timestamp: NOW - 301 }),
    ],
    [
      'a timestamp from the future',
      401,
      'stale',
      () => createCallbackRequest(URL_BASE, added, { ...config, timestamp: NOW + 301 }),
    ],
    [
      'a missing nonce',
      400,
      'malformed',
      () => {
        const { query, body } = sealed();
        return requestWith({ msg_signature: query.msg_signature, timestamp: query.timestamp }, body);
      },
    ],
    ['an envelope that is not XML', 400, 'malformed', () => requestWith(sealed().query, 'Encrypt=abc')],
    [
      'an envelope without Encrypt',
      400,
      'malformed',
      () => requestWith(sealed().query, '<xml><ToUserName>x</ToUserName></xml>'),
    ],
    [
      'a signed message that is not well-formed XML',
      400,
      'malformed',
      () => post('<xml><UserID>zhangsan</xml>'),
    ],
    [
      'a signed message with a DTD',
      400,
      'malformed',
      () => post('<!DOCTYPE xml [<!ENTITY a "a">]><xml><Event>&a;</Event></xml>'),
    ],
    [
      'a declared body over the limit',
      413,
      'too-large',
      () => {
        const { query, body } = sealed();
        return requestWith(query, body, { headers: { 'content-length': String(64 * 1024 + 1) } });
      },
    ],
    [
      'a streamed body over the limit',
      413,
      'too-large',
      () => {
        const { query } = sealed();
        const chunk = new TextEncoder().encode('<'.repeat(16 * 1024));
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 5) controller.enqueue(chunk);
            else controller.close();
          },
        });
        return requestWith(query, '', { body: stream, duplex: 'half' } as RequestInit);
      },
    ],
    [
      'a method WeCom does not use',
      405,
      'method',
      () => new Request(post(added).url, { method: 'PUT', body: 'x' }),
    ],
  ])('%s: %i', async (_name, status, reason, makeRequest) => {
    const { handle, delivered, rejections } = setup();
    const response = await handle(makeRequest());
    expect(response.status).toBe(status);
    expect(rejections.map((rejection) => rejection.reason)).toEqual([reason]);
    expect(delivered).toEqual([]);
  });

  it('refuses a replay once it is stale, and swallows it before', async () => {
    const { handle, delivered } = setup();
    const request = post(added);
    expect((await handle(request.clone())).status).toBe(200);
    vi.setSystemTime((NOW + 200) * 1000);
    expect((await handle(request.clone())).status).toBe(200);
    vi.setSystemTime((NOW + 400) * 1000);
    expect((await handle(request)).status).toBe(401);
    expect(delivered.filter(({ handler }) => handler === 'addExternalContact')).toHaveLength(1);
  });

  it('honours a custom body limit', async () => {
    const { handle } = setup({ maxBodyBytes: 100 });
    expect((await handle(post(added))).status).toBe(413);
  });
});

describe('configuration', () => {
  it('refuses an EncodingAESKey that is not 43 characters at creation', () => {
    expect(() => createCallbackHandler({ ...config, encodingAESKey: 'short', on: {} })).toThrow(
      /43-character/,
    );
  });

  it('refuses a missing token or corp id at creation', () => {
    expect(() => createCallbackHandler({ ...config, token: '', on: {} })).toThrow(/token/);
    expect(() => createCallbackHandler({ ...config, corpId: '', on: {} })).toThrow(/corpId/);
  });
});

describe('types', () => {
  it('give each handler its event type', () => {
    type Handlers = Required<CallbackHandlers>;
    expectTypeOf<Parameters<Handlers['addExternalContact']>[0]>().toEqualTypeOf<CallbackAddExternalContact>();
    expectTypeOf<Parameters<Handlers['updateExternalChat']>[0]>().toEqualTypeOf<CallbackUpdateExternalChat>();
    expectTypeOf<Parameters<Handlers['event']>[0]>().toEqualTypeOf<CallbackMessage>();
  });

  it('narrow a catch-all message with isCustomerContactEvent', () => {
    const message = added as CallbackMessage;
    if (isCustomerContactEvent(message, 'addExternalContact')) {
      expectTypeOf(message.WelcomeCode).toEqualTypeOf<string | undefined>();
    }
    expect(isCustomerContactEvent(message, 'addExternalContact')).toBe(true);
    expect(isCustomerContactEvent(message, 'delFollowUser')).toBe(false);
    expect(isCustomerContactEvent({ MsgType: 'text' })).toBe(false);
  });
});
