import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallbackRequest } from '@wecom-kit/core/callbacks';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeedEntry } from '../live-events.mjs';
import {
  CALLBACK_PATH,
  createDemoRoutes,
  DEMO_CALLBACK,
  EVENTS_PATH,
  routeByPrefix,
  SIMULATE_PATH,
} from '../server.mjs';

// The demo backend's callback route and event stream, over real HTTP: the sandbox delivers
// encrypted events to the callback URL, and the stream is read as a browser's EventSource reads it.

type Listener = Parameters<typeof routeByPrefix>[1];
type DemoOptions = Parameters<typeof createDemoRoutes>[0];

interface StreamMessage {
  event: string;
  id?: string;
  data: string;
}

interface OpenStream {
  response: Response;
  messages: StreamMessage[];
  comments: string[];
  raw: () => string;
  entries: () => FeedEntry[];
  close: () => void;
}

const notFound: Listener = (_request, response) => void response.writeHead(404).end();
const servers: Server[] = [];
const streams: OpenStream[] = [];
let sandbox: Sandbox;
let base: string;

/** A node:http server for the demo routes; `options` gets the server's own URL, for the callback. */
async function startDemo(options: (url: string) => Promise<DemoOptions>): Promise<string> {
  let listener: Listener = notFound;
  const server = createServer((request, response) => listener(request, response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  listener = routeByPrefix(createDemoRoutes(await options(url)), notFound);
  return url;
}

/** Reads a text/event-stream response as EventSource does: blocks split on a blank line. */
async function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  let raw = '';
  let pending = '';
  const stream: OpenStream = {
    response,
    messages: [],
    comments: [],
    raw: () => raw,
    entries: () =>
      stream.messages.filter(({ event }) => event === 'message').map(({ data }) => JSON.parse(data)),
    close: () => controller.abort(),
  };
  streams.push(stream);
  const read = async () => {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      const text = decoder.decode(chunk.value, { stream: true });
      raw += text;
      pending += text;
      for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
        parseBlock(pending.slice(0, end), stream);
        pending = pending.slice(end + 2);
      }
    }
  };
  read().catch(() => undefined);
  return stream;
}

function parseBlock(block: string, stream: OpenStream): void {
  const message: StreamMessage = { event: 'message', data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    const [field, ...rest] = line.split(':');
    const value = rest.join(':').replace(/^ /, '');
    if (field === '') stream.comments.push(value);
    else if (field === 'event') message.event = value;
    else if (field === 'id') message.id = value;
    else if (field === 'data') {
      message.data += value;
      hasData = true;
    }
  }
  if (hasData) stream.messages.push(message);
}

async function simulateCustomer(url = base): Promise<{ userid: string; external_userid: string }> {
  const response = await fetch(`${url}${SIMULATE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

const callbackOf = (stream: OpenStream, externalUserid: string) =>
  stream
    .entries()
    .find((entry) => entry.kind === 'callback' && entry.event.ExternalUserID === externalUserid);

const welcomeOf = (stream: OpenStream, replyTo: string | undefined) =>
  stream.entries().find((entry) => entry.kind === 'welcome' && entry.replyTo === replyTo);

/**
 * A customer-contact event as WeCom would sign and encrypt it (an edit unless `event` says
 * otherwise), sealed with the demo's callback settings unless `settings` changes them.
 */
function callbackRequest(
  url: string,
  event: { ExternalUserID: string; ChangeType?: string; WelcomeCode?: string },
  settings: Partial<{ token: string; encodingAESKey: string; corpId: string }> = {},
) {
  return createCallbackRequest(
    `${url}${CALLBACK_PATH}`,
    {
      ToUserName: sandbox.corpId,
      FromUserName: 'sys',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'edit_external_contact',
      UserID: 'member0001',
      ...event,
    },
    { ...DEMO_CALLBACK, corpId: sandbox.corpId, ...settings },
  );
}

const sandboxTarget = () => ({ url: sandbox.url, corpId: sandbox.corpId, corpSecret: sandbox.corpSecret });
// The backend logs each refused callback; kept out of the test output, and checked below.
const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

beforeAll(async () => {
  base = await startDemo(async (url) => {
    sandbox = await startSandbox({
      port: 0,
      scale: 300,
      callback: { url: `${url}${CALLBACK_PATH}`, ...DEMO_CALLBACK },
    });
    return { ...sandboxTarget(), simulate: true, events: { heartbeatMs: 250 } };
  });
});

afterAll(async () => {
  warnings.mockRestore();
  for (const stream of streams) stream.close();
  await sandbox?.callbacks.idle();
  await sandbox?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the live feed', () => {
  it('streams the add_external_contact the sandbox delivers, then the welcome the backend sent with it', async () => {
    const stream = await openStream(`${base}${EVENTS_PATH}`);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await expect
      .poll(() => stream.messages.find(({ event }) => event === 'ready')?.data)
      .toBe(JSON.stringify({ simulate: true }));

    const added = await simulateCustomer();
    expect(added).not.toHaveProperty('welcome_code');
    await expect
      .poll(() => callbackOf(stream, added.external_userid), { timeout: 10_000 })
      .toMatchObject({
        kind: 'callback',
        welcoming: true,
        event: {
          ToUserName: sandbox.corpId,
          Event: 'change_external_contact',
          ChangeType: 'add_external_contact',
          UserID: added.userid,
          State: 'demo',
        },
      });
    const event = callbackOf(stream, added.external_userid);
    await expect
      .poll(() => welcomeOf(stream, event?.id), { timeout: 10_000 })
      .toMatchObject({
        ok: true,
        UserID: added.userid,
        ExternalUserID: added.external_userid,
      });

    // The sandbox saw the code spent, with the demo's text, within its 20 seconds.
    const [code, welcome] =
      [...sandbox.state.messages.welcomeCodes].find(
        ([, entry]) => entry.external_userid === added.external_userid,
      ) ?? [];
    expect(welcome?.usedAt).toBeTypeOf('number');
    expect(welcome?.message?.text?.content).toBeTruthy();

    // The stream carries decrypted fields only: no credential of any kind.
    for (const secret of [code, sandbox.corpSecret, DEMO_CALLBACK.token, DEMO_CALLBACK.encodingAESKey]) {
      expect(stream.raw()).not.toContain(secret);
    }
    expect(stream.raw()).not.toMatch(/WelcomeCode|access_token/);
  });

  it('replays what it keeps on connect, and only what came after Last-Event-ID', async () => {
    const first = await simulateCustomer();
    const second = await simulateCustomer();
    await sandbox.callbacks.idle();

    const everything = await openStream(`${base}${EVENTS_PATH}`);
    await expect.poll(() => callbackOf(everything, second.external_userid)).toBeDefined();
    const firstEvent = callbackOf(everything, first.external_userid);
    const secondEvent = callbackOf(everything, second.external_userid);
    await expect.poll(() => welcomeOf(everything, secondEvent?.id)).toBeDefined();
    const ids = everything.entries().map((entry) => entry.id);
    expect(ids.indexOf(firstEvent?.id ?? '')).toBeLessThan(ids.indexOf(secondEvent?.id ?? ''));

    const resumed = await openStream(`${base}${EVENTS_PATH}`, { 'last-event-id': firstEvent?.id ?? '' });
    await expect.poll(() => welcomeOf(resumed, secondEvent?.id)).toBeDefined();
    expect(resumed.entries().map((entry) => entry.id)).toEqual(
      ids.slice(ids.indexOf(firstEvent?.id ?? '') + 1),
    );

    // An id this process never issued (a restart, or one dropped from the ring): everything kept.
    const afterRestart = await openStream(`${base}${EVENTS_PATH}`, { 'last-event-id': 'earlier-7' });
    await expect.poll(() => afterRestart.entries().map((entry) => entry.id)).toEqual(ids);
  });

  it('refuses callbacks it cannot authenticate, and they never reach the feed', async () => {
    const forged = [
      callbackRequest(base, { ExternalUserID: 'wmFORGED1' }, { token: 'notTheToken' }),
      callbackRequest(base, { ExternalUserID: 'wmFORGED2' }, { corpId: 'wwanothercorp000001' }),
      callbackRequest(base, { ExternalUserID: 'wmFORGED3' }),
      callbackRequest(base, { ExternalUserID: 'wmFORGED4' }, { encodingAESKey: 'b'.repeat(43) }),
    ];
    // A genuine message whose signature was altered on the way.
    const tampered = new URL(forged[2]?.url ?? '');
    tampered.searchParams.set('msg_signature', '0'.repeat(40));
    const [badToken, otherCorp, badSignature, otherKey] = await Promise.all([
      fetch(forged[0] as Request),
      fetch(forged[1] as Request),
      fetch(new Request(tampered, forged[2])),
      fetch(forged[3] as Request),
    ]);
    expect([badToken?.status, otherCorp?.status, badSignature?.status]).toEqual([401, 403, 401]);
    // Decrypting with the wrong key gives garbage: bad padding or framing (400), or, rarely, framing
    // that happens to parse around a wrong receive id (403).
    expect([400, 403]).toContain(otherKey?.status);
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('refused a callback (signature)'));

    const genuine = await fetch(callbackRequest(base, { ExternalUserID: 'wmGENUINE' }));
    expect([genuine.status, await genuine.text()]).toEqual([200, 'success']);

    const stream = await openStream(`${base}${EVENTS_PATH}`);
    await expect.poll(() => callbackOf(stream, 'wmGENUINE')).toBeDefined();
    expect(stream.raw()).not.toContain('FORGED');
  });

  it('records a welcome message WeCom refused, and goes on', async () => {
    // Genuine, but its code was never issued (or has expired): send_welcome_msg fails.
    const request = callbackRequest(base, {
      ExternalUserID: 'wmLATEWELCOME',
      ChangeType: 'add_external_contact',
      WelcomeCode: 'WELCOMENEVERISSUED',
    });
    // Answered 200 all the same: a 500 would only bring the event back with the same dead code.
    expect((await fetch(request)).status).toBe(200);

    const stream = await openStream(`${base}${EVENTS_PATH}`);
    await expect.poll(() => callbackOf(stream, 'wmLATEWELCOME')).toMatchObject({ welcoming: true });
    await expect
      .poll(() => welcomeOf(stream, callbackOf(stream, 'wmLATEWELCOME')?.id))
      .toMatchObject({
        ok: false,
        errcode: expect.any(Number),
        errmsg: expect.any(String),
      });
    expect(stream.raw()).not.toContain('WELCOMENEVERISSUED');
  });

  it('keeps idle streams alive with heartbeat comments', async () => {
    const stream = await openStream(`${base}${EVENTS_PATH}`);
    await expect.poll(() => stream.comments, { timeout: 5_000 }).toContain('heartbeat');
  });

  it('keeps the newest entries only, caps open streams and frees a slot when a browser leaves', async () => {
    const small = await startDemo(async () => ({ ...sandboxTarget(), events: { limit: 3, maxStreams: 1 } }));
    for (const index of [1, 2, 3, 4, 5]) {
      expect((await fetch(callbackRequest(small, { ExternalUserID: `wmRING${index}` }))).status).toBe(200);
    }
    const stream = await openStream(`${small}${EVENTS_PATH}`);
    await expect
      .poll(() => stream.entries().map((entry) => entry.kind === 'callback' && entry.event.ExternalUserID))
      .toEqual(['wmRING3', 'wmRING4', 'wmRING5']);

    expect((await fetch(`${small}${EVENTS_PATH}`)).status).toBe(503);
    stream.close();
    await expect
      .poll(
        async () => {
          const next = await openStream(`${small}${EVENTS_PATH}`);
          next.close();
          return next.response.status;
        },
        { timeout: 5_000 },
      )
      .toBe(200);
  });

  it('answers only at its own paths and methods', async () => {
    const statuses = async (requests: [string, RequestInit?][]) =>
      Promise.all(requests.map(async ([path, init]) => (await fetch(`${base}${path}`, init)).status));
    expect(
      await statuses([
        [EVENTS_PATH, { method: 'POST' }],
        [`${EVENTS_PATH}-old`],
        [SIMULATE_PATH],
        [SIMULATE_PATH, { method: 'POST', body: 'userid=member0001' }],
        [CALLBACK_PATH],
        [`${CALLBACK_PATH}/x`],
      ]),
    ).toEqual([405, 404, 405, 415, 400, 404]);

    // Without `simulate` (a real WeCom behind the demo) the route does not exist.
    const real = await startDemo(async () => sandboxTarget());
    expect((await fetch(`${real}${SIMULATE_PATH}`, { method: 'POST' })).status).toBe(404);
  });
});
