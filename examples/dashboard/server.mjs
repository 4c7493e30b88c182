// The demo's backend: the built dashboard under /demo/ and the WeCom proxy it calls under
// /api/wecom/. Plain JavaScript so that scripts/start.mjs imports it with node alone.
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createWecomClient } from '@wecom-kit/client';
import { createWecomProxy } from '@wecom-kit/client/proxy';
import { createPortalHandler } from '@wecom-kit/docs/serve';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {(request: IncomingMessage, response: ServerResponse) => Promise<void>} NodeHandler */

const DEMO_PATH = '/demo';
const PROXY_PATH = '/api/wecom';
/** Where `vite build` writes the dashboard. */
const DIST_DIR = fileURLToPath(new URL('./dist', import.meta.url));

/**
 * What the dashboard calls, and nothing else: a proxy that faces browsers forwards as little as it can.
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
 * The demo's routes for a node:http server that routes by path prefix.
 *
 * @param {{ url: string, corpId: string, corpSecret: string }} wecom the WeCom to call: the sandbox, or
 *   `{ url: 'https://qyapi.weixin.qq.com', corpId, corpSecret }`
 * @returns {{ prefix: string, handle: NodeHandler }[]}
 */
export function createDemoRoutes({ url, corpId, corpSecret }) {
  const client = createWecomClient({ baseUrl: url, corpId, corpSecret });
  const proxy = createWecomProxy({ client, allow: DASHBOARD_OPERATIONS, basePath: PROXY_PATH });
  const files = createPortalHandler(DIST_DIR);
  return [
    { prefix: `${PROXY_PATH}/`, handle: toNodeHandler(proxy) },
    {
      prefix: DEMO_PATH,
      handle: async (request, response) => {
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
      },
    },
  ];
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
      // Only a target or method that cannot make a fetch Request (`TRACE`, an unparsable URL) gets here.
      answer = Response.json({ errcode: 40058, errmsg: 'malformed request' }, { status: 400 });
    }
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  };
}

/**
 * @param {IncomingMessage} request
 * @param {AbortSignal} signal
 * @returns {Request}
 */
function toFetchRequest(request, signal) {
  const headers = new Headers();
  for (const name of ['content-type', 'content-length']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(new URL(request.url ?? '/', 'http://localhost'), {
    method: request.method,
    headers,
    signal,
    ...(hasBody && {
      body: /** @type {ReadableStream<Uint8Array>} */ (Readable.toWeb(request)),
      duplex: 'half',
    }),
  });
}
