// Serves the built portal (docs/dist). Plain JavaScript so that scripts/start.mjs can import it
// with node alone, without a build step or a TypeScript loader.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `pnpm docs:build` writes the portal. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL('./dist', import.meta.url));

/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/**
 * A node:http request listener that serves `distDir`: `/` is the home page, a folder answers with
 * its index.html. Requests outside `distDir` (`..`, encoded or not) are refused.
 *
 * @param {string} [distDir]
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => Promise<void>}
 */
export function createPortalHandler(distDir = DEFAULT_DIST_DIR) {
  const root = resolve(distDir);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await resolveFile(root, request.url ?? '/');
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<!doctype html><title>Not found</title><p>Not found. <a href="/">Back to the portal</a>.</p>',
      );
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream',
      'content-length': file.size,
      // The portal is rebuilt in place; revalidating keeps readers from mixing old and new files.
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file.path).pipe(response);
  };
}

/**
 * @param {string} root
 * @param {string} url
 * @returns {Promise<{ path: string, size: number } | undefined>}
 */
async function resolveFile(root, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://portal.invalid').pathname);
  } catch {
    return undefined;
  }
  const candidate = normalize(join(root, pathname));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  for (const path of [candidate, join(candidate, 'index.html')]) {
    try {
      const info = await stat(path);
      if (info.isFile()) return { path, size: info.size };
    } catch {
      // Not there: try the next candidate.
    }
  }
  return undefined;
}

/** The reference loads this script; the static portal's copy is empty, which hides "Try it". */
export const LIVE_SCRIPT_PATH = '/reference/live.js';

/**
 * What `pnpm start` answers at {@link LIVE_SCRIPT_PATH}: the reference then offers "Try it against
 * the sandbox" on every operation, sending same-origin JSON through the proxy at `proxyPath`.
 *
 * @param {string} proxyPath e.g. `/api/wecom`
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
export function createLiveScriptHandler(proxyPath) {
  const script = `window.wecomLive = ${JSON.stringify({ proxy: proxyPath })};\n`;
  return (_request, response) => {
    response.writeHead(200, {
      'content-type': CONTENT_TYPES['.js'] ?? 'text/javascript',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    response.end(script);
  };
}

/**
 * Runs the portal on its own server, e.g. `await startPortal({ port: Number(process.env.PORTAL_PORT ?? 4000) })`.
 *
 * @param {{ distDir?: string, port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startPortal({ distDir = DEFAULT_DIST_DIR, port = 4000, host = '127.0.0.1' } = {}) {
  const handler = createPortalHandler(distDir);
  const server = createServer((request, response) => {
    handler(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}
