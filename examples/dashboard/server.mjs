// The demo's backend: the built dashboard under /demo/, the WeCom proxy it calls under
// /api/wecom/, the callback URL WeCom delivers events to, and the live feed of those events.
// Plain JavaScript so that scripts/start.mjs imports it with node alone.
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createWecomClient, WecomError } from '@wecom-kit/client';
import { createWecomProxy, isAllowedHost } from '@wecom-kit/client/proxy';
import { createCallbackHandler, isCustomerContactEvent } from '@wecom-kit/core/callbacks';
import { createPortalHandler } from '@wecom-kit/docs/serve';
import { createEventFeed, createEventStream } from './live-events.mjs';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {(request: IncomingMessage, response: ServerResponse) => void | Promise<void>} NodeHandler */
/** @typedef {{ prefix: string, handle: NodeHandler }} DemoRoute */
/** @typedef {import('@wecom-kit/client').WecomClient} WecomClient */
/** @typedef {import('@wecom-kit/core/callbacks').CallbackMessage} CallbackMessage */
/** @typedef {import('./live-events.mjs').EventFeed} EventFeed */
/** @typedef {import('./live-events.mjs').FeedEvent} FeedEvent */
/** @typedef {import('./live-events.mjs').WelcomeFields} WelcomeFields */

const DEMO_PATH = '/demo';
/** Where the browser-facing WeCom proxy listens; the reference's "Try it" sends there too. */
export const PROXY_PATH = '/api/wecom';
/** The app's callback URL path: where WeCom (or the sandbox) POSTs encrypted events. */
export const CALLBACK_PATH = '/api/wecom-callback';
/** The live feed, as Server-Sent Events. */
export const EVENTS_PATH = '/api/events';
/** Only when the target is the sandbox: has it simulate a new customer, which raises an event. */
export const SIMULATE_PATH = '/api/demo/simulate-customer';
/** Where `vite build` writes the dashboard. */
const DIST_DIR = fileURLToPath(new URL('./dist', import.meta.url));

/**
 * The callback settings used unless others are passed. The sandbox is told the same ones; against
 * WeCom, pass the Token and EncodingAESKey of the app's callback settings (接收事件服务器) instead.
 * @type {Readonly<{ token: string, encodingAESKey: string }>}
 */
export const DEMO_CALLBACK = Object.freeze({
  token: 'wecomKitDemo',
  encodingAESKey: 'wecomKitDemoEncodingAESKey0123456789abcdefg',
});

/** The identity the demo's proxy gives its single local user. */
const LOCAL_DEMO_CALLER = 'local-demo';

/**
 * The demo user's budget at the proxy. One page load of the dashboard makes about 40 calls (a page
 * of moments, then each one's task and comments), so the proxy's default of 120 a minute would
 * refuse a third reload; the portal's "Try it" spends from the same identity.
 */
export const DEMO_CALLS_PER_MINUTE = 600;

const WELCOME_TEXT = '你好，欢迎添加！有问题随时在这里找我。';

/**
 * What the dashboard calls, and nothing else: a proxy that faces browsers forwards as little as it can.
 * The welcome message and the member list are called by the backend itself, never through the proxy.
 * @type {import('@wecom-kit/client').OperationId[]}
 */
const DASHBOARD_OPERATIONS = [
  'getMomentList',
  'getMomentTask',
  'getMomentComments',
  'getExternalContact',
  'getCorpTagList',
  'markTag',
];

/**
 * @typedef {object} DemoOptions
 * @property {string} url the WeCom to call: the sandbox's URL, or `https://qyapi.weixin.qq.com`
 * @property {string} corpId
 * @property {string} corpSecret
 * @property {{ token: string, encodingAESKey: string }} [callback] the settings WeCom signs and
 *   encrypts callbacks with (default {@link DEMO_CALLBACK})
 * @property {boolean} [simulate] the target is `@wecom-kit/sandbox`: also offer `POST` {@link SIMULATE_PATH}
 * @property {{ limit?: number } & Omit<import('./live-events.mjs').EventStreamOptions, 'ready'>} [events]
 *   the feed's size (default 100 entries) and the stream's heartbeat and connection cap
 * @property {{ perMinute?: number }} [perCaller] the demo user's budget at the proxy (default
 *   {@link DEMO_CALLS_PER_MINUTE})
 */

/**
 * The demo's routes for a node:http server that routes by path prefix (see {@link routeByPrefix}).
 *
 * @param {DemoOptions} options
 * @returns {DemoRoute[]}
 */
export function createDemoRoutes({
  url,
  corpId,
  corpSecret,
  callback = DEMO_CALLBACK,
  simulate = false,
  events = {},
  perCaller = { perMinute: DEMO_CALLS_PER_MINUTE },
}) {
  const client = createWecomClient({ baseUrl: url, corpId, corpSecret });
  const proxy = createWecomProxy({
    client,
    allow: DASHBOARD_OPERATIONS,
    basePath: PROXY_PATH,
    // The demo has no users: whoever reaches this loopback-only server is the one local person
    // trying it. A real app returns the user of its session here (see guide 05).
    authorize: () => LOCAL_DEMO_CALLER,
    perCaller,
  });
  const feed = createEventFeed({ limit: events.limit });
  const receiveCallback = createDemoCallbackHandler({ client, feed, corpId, ...callback });
  /** @type {DemoRoute[]} */
  const routes = [
    { prefix: `${PROXY_PATH}/`, handle: toNodeHandler(proxy) },
    { prefix: CALLBACK_PATH, handle: onlyAt(CALLBACK_PATH, toNodeHandler(receiveCallback)) },
    {
      prefix: EVENTS_PATH,
      handle: onlyAt(EVENTS_PATH, createEventStream(feed, { ...events, ready: { simulate } })),
    },
    { prefix: DEMO_PATH, handle: serveDashboard(createPortalHandler(DIST_DIR)) },
  ];
  if (simulate) {
    const handle = onlyAt(SIMULATE_PATH, toNodeHandler(createSimulateHandler(client, url)));
    routes.push({ prefix: SIMULATE_PATH, handle });
  }
  return routes;
}

/**
 * One node:http request listener for `routes`: the first route whose prefix starts the request's
 * path answers, `fallback` answers the rest.
 *
 * @param {DemoRoute[]} routes
 * @param {NodeHandler} fallback
 * @returns {NodeHandler}
 */
export function routeByPrefix(routes, fallback) {
  return (request, response) => {
    const route = routes.find(({ prefix }) => request.url?.startsWith(prefix));
    return (route?.handle ?? fallback)(request, response);
  };
}

/**
 * Wraps a server's listener so that it answers only requests addressed to a loopback name (or to
 * `allowedHosts`): a DNS-rebinding page, served under its own domain that now resolves to
 * 127.0.0.1, gets 403 instead of the demo, the proxy and the callback route.
 *
 * @param {NodeHandler} handle
 * @param {readonly string[]} [allowedHosts]
 * @returns {NodeHandler}
 */
export function onlyForAllowedHosts(handle, allowedHosts) {
  return (request, response) => {
    if (isAllowedHost(request.headers.host, allowedHosts)) return handle(request, response);
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Host not allowed.\n');
  };
}

/**
 * @param {NodeHandler} files the static handler for the built dashboard
 * @returns {NodeHandler}
 */
function serveDashboard(files) {
  return async (request, response) => {
    const rest = (request.url ?? '').slice(DEMO_PATH.length);
    if (rest === '' || rest.startsWith('?')) {
      response.writeHead(301, { location: `${DEMO_PATH}/${rest}` }).end();
      return;
    }
    if (!rest.startsWith('/')) {
      response.writeHead(404).end();
      return;
    }
    // The static handler serves its folder from `/`, so it sees the path below /demo.
    request.url = rest;
    await files(request, response);
  };
}

/**
 * A prefix route matches `/api/events-old` too; this answers 404 for anything but `path` itself.
 *
 * @param {string} path
 * @param {NodeHandler} handle
 * @returns {NodeHandler}
 */
function onlyAt(path, handle) {
  return (request, response) => {
    const [pathname] = (request.url ?? '').split('?');
    if (pathname === path) return handle(request, response);
    response.writeHead(404).end();
  };
}

/**
 * The app's callback endpoint: every verified message goes to the feed, and a new customer gets
 * the welcome message at once, since the WelcomeCode is valid for about 20 seconds and only once.
 *
 * @param {{ client: WecomClient, feed: EventFeed, corpId: string, token: string, encodingAESKey: string }} options
 */
function createDemoCallbackHandler({ client, feed, corpId, token, encodingAESKey }) {
  return createCallbackHandler({
    token,
    encodingAESKey,
    corpId,
    on: {
      event: async (message) => {
        const welcomeCode = welcomeCodeOf(message);
        // The code is a credential for messaging the customer: the backend spends it, browsers never see it.
        const { WelcomeCode: _spent, ...event } = /** @type {FeedEvent} */ (message);
        const entry = feed.publish({ kind: 'callback', event, welcoming: welcomeCode !== undefined });
        if (welcomeCode) feed.publish(await sendWelcome(client, welcomeCode, entry.id, event));
      },
    },
    onRejected: ({ reason, detail }) => console.warn(`demo: refused a callback (${reason}): ${detail}`),
  });
}

/**
 * @param {CallbackMessage} message
 * @returns {string | undefined}
 */
function welcomeCodeOf(message) {
  const added =
    isCustomerContactEvent(message, 'addExternalContact') ||
    isCustomerContactEvent(message, 'addHalfExternalContact');
  return added ? message.WelcomeCode || undefined : undefined;
}

/**
 * Sends the welcome message and describes the outcome for the feed. A failure is recorded, not
 * thrown: a 500 would make WeCom deliver the event again, and the spent (or expired) code cannot
 * welcome anyone a second time.
 *
 * @param {WecomClient} client
 * @param {string} welcomeCode
 * @param {string} replyTo the feed entry of the event
 * @param {FeedEvent} event
 * @returns {Promise<WelcomeFields>}
 */
async function sendWelcome(client, welcomeCode, replyTo, event) {
  const about = {
    kind: /** @type {const} */ ('welcome'),
    replyTo,
    UserID: String(event.UserID),
    ExternalUserID: String(event.ExternalUserID),
  };
  try {
    await client.call('sendWelcomeMsg', { welcome_code: welcomeCode, text: { content: WELCOME_TEXT } });
    return { ...about, ok: true };
  } catch (error) {
    const failure = describeFailure(error);
    console.warn(`demo: the welcome message to ${about.ExternalUserID} failed: ${failure.errmsg}`);
    return { ...about, ok: false, ...failure };
  }
}

/**
 * The client's errors never carry the secret or the token, so their words are safe to show.
 *
 * @param {unknown} error
 * @returns {{ errcode?: number, errmsg: string }}
 */
function describeFailure(error) {
  if (error instanceof WecomError) return { errcode: error.errcode, errmsg: error.errmsg };
  return { errmsg: error instanceof Error ? error.message : String(error) };
}

/**
 * `POST` {@link SIMULATE_PATH}: a random member is added by a new customer in the sandbox, which
 * then delivers add_external_contact to the callback URL. Answers the member and the customer, but
 * not the welcome code: the callback handler spends that.
 *
 * @param {WecomClient} client
 * @param {string} sandboxUrl
 * @returns {(request: Request) => Promise<Response>}
 */
function createSimulateHandler(client, sandboxUrl) {
  return async (request) => {
    if (request.method !== 'POST') return demoAnswer(405, { errcode: 40058, errmsg: 'use POST' });
    // Browsers preflight a cross-site JSON POST, so another site's page cannot fire this unasked.
    if (!request.headers.get('content-type')?.startsWith('application/json')) {
      return demoAnswer(415, { errcode: 40058, errmsg: 'send content-type: application/json' });
    }
    try {
      const { follow_user: members = [] } = await client.call(
        'getFollowUserList',
        {},
        { signal: request.signal },
      );
      const userid = members[Math.floor(Math.random() * members.length)];
      if (userid === undefined) {
        return demoAnswer(409, { errcode: 40003, errmsg: 'no member has customer contact enabled' });
      }
      const added = await addCustomer(sandboxUrl, userid, request.signal);
      if (added.errcode !== 0) return demoAnswer(502, { errcode: added.errcode, errmsg: added.errmsg });
      return demoAnswer(200, { errcode: 0, errmsg: 'ok', userid, external_userid: added.external_userid });
    } catch (error) {
      return demoAnswer(502, describeFailure(error));
    }
  };
}

/**
 * @param {string} sandboxUrl
 * @param {string} userid
 * @param {AbortSignal} signal
 * @returns {Promise<{ errcode: number, errmsg: string, external_userid?: string }>}
 */
async function addCustomer(sandboxUrl, userid, signal) {
  const answer = await fetch(new URL('/__sandbox/simulate/add-customer', sandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userid, state: 'demo' }),
    signal,
  });
  return answer.json();
}

/**
 * @param {number} status
 * @param {Record<string, unknown>} body WeCom-shaped, so the dashboard reports it like WeCom's own errors
 */
function demoAnswer(status, body) {
  return Response.json(body, { status, ...(status === 405 && { headers: { allow: 'POST' } }) });
}

/**
 * Runs a fetch-standard handler (such as createWecomProxy's) on node:http. The request's signal
 * aborts when the browser goes away, which cancels the call to WeCom.
 *
 * @param {(request: Request) => Promise<Response>} handler
 * @returns {NodeHandler}
 */
function toNodeHandler(handler) {
  return async (request, response) => {
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort();
    });
    let answer;
    try {
      answer = await handler(toFetchRequest(request, gone.signal));
    } catch {
      // Only a target, Host or method that cannot make a fetch Request (`TRACE`, `http://[/`) gets here.
      answer = Response.json({ errcode: 40058, errmsg: 'malformed request' }, { status: 400 });
    }
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  };
}

/** What the proxy's checks and an `authorize` read; everything else stays behind. */
const FORWARDED_HEADERS = [
  'content-type',
  'content-length',
  'origin',
  'sec-fetch-site',
  'cookie',
  'authorization',
];

/**
 * @param {IncomingMessage} request
 * @param {AbortSignal} signal
 * @returns {Request}
 */
function toFetchRequest(request, signal) {
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  // The URL keeps the Host the browser used, which the proxy checks (and compares with Origin).
  return new Request(new URL(request.url ?? '/', `http://${request.headers.host}`), {
    method: request.method,
    headers,
    signal,
    ...(hasBody && {
      body: /** @type {ReadableStream<Uint8Array>} */ (Readable.toWeb(request)),
      duplex: 'half',
    }),
  });
}
