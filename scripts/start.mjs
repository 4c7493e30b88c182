// `pnpm start`: the sandbox on SANDBOX_PORT (default 4010) and the portal on PORTAL_PORT (default
// 4000), with the sandbox's credentials printed. Run through the root script, which builds first.
import { createServer } from 'node:http';
import { createLiveScriptHandler, createPortalHandler, LIVE_SCRIPT_PATH } from '../docs/serve.mjs';
import {
  CALLBACK_PATH,
  createDemoRoutes,
  DEMO_CALLBACK,
  EVENTS_PATH,
  onlyForAllowedHosts,
  PROXY_PATH,
  routeByPrefix,
  SIMULATE_PATH,
} from '../examples/dashboard/server.mjs';
import { startSandbox } from '../packages/sandbox/dist/index.js';

const host = '127.0.0.1';
/** A wrong environment variable exits with this code, after a message naming the variable. */
const USAGE_ERROR = 2;

function usageError(message) {
  console.error(message);
  process.exit(USAGE_ERROR);
}

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65_535) {
    usageError(`${name} must be a port number from 0 to 65535 (0 picks a free one), got "${raw}".`);
  }
  return Number(raw);
}

/** Resolves once listening; a busy port is reported with the variable that moves it. */
async function listening(listen, name, port) {
  try {
    return await listen();
  } catch (error) {
    if (error?.code !== 'EADDRINUSE' && error?.code !== 'EACCES') throw error;
    const why = error.code === 'EADDRINUSE' ? 'already in use' : 'not allowed for this user';
    return usageError(
      `Port ${port} (${name}) is ${why}: set ${name} to another port, or ${name}=0 for a free one.`,
    );
  }
}

const sandboxPort = portFromEnv('SANDBOX_PORT', 4010);
const portalPort = portFromEnv('PORTAL_PORT', 4000);

// The portal listens first, so that the sandbox is told the callback URL on the port the portal
// really has (PORTAL_PORT=0 picks a free one); its routes are ready before anyone is told to look.
let route = (_request, response) => response.writeHead(503).end('Starting.');
const server = createServer(onlyForAllowedHosts((request, response) => route(request, response)));
await listening(
  () =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(portalPort, host, resolve);
    }),
  'PORTAL_PORT',
  portalPort,
);
const portalUrl = `http://${host}:${server.address().port}`;

const sandbox = await listening(
  () =>
    startSandbox({
      port: sandboxPort,
      host,
      callback: { url: `${portalUrl}${CALLBACK_PATH}`, ...DEMO_CALLBACK },
    }),
  'SANDBOX_PORT',
  sandboxPort,
);
const routes = createDemoRoutes({
  url: sandbox.url,
  corpId: sandbox.corpId,
  corpSecret: sandbox.corpSecret,
  callback: DEMO_CALLBACK,
  simulate: true,
});
// The reference's "Try it against the sandbox" sends through the demo's proxy.
const tryIt = { prefix: LIVE_SCRIPT_PATH, handle: createLiveScriptHandler(PROXY_PATH) };
route = routeByPrefix([...routes, tryIt], createPortalHandler());

console.log(`wecom-kit is running:
  portal     ${portalUrl}/            docs, guides and the errcode catalog
  reference  ${portalUrl}/reference/  the API reference, with "Try it against the sandbox"
  demo       ${portalUrl}/demo/       the moments dashboard, through the proxy at /api/wecom/
  callbacks  ${portalUrl}${CALLBACK_PATH}  where the sandbox delivers events; live feed at ${EVENTS_PATH}
  sandbox    ${sandbox.url}   a simulated WeCom (control API: ${sandbox.url}/__sandbox/stats)
  corpId     ${sandbox.corpId}
  secret     ${sandbox.corpSecret}

Try: curl '${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}'
     curl -X POST -H 'content-type: application/json' ${portalUrl}${SIMULATE_PATH}   # a new customer, in the demo's live feed
Press Ctrl-C to stop.`);

// Ctrl-C (SIGINT) and SIGTERM are the way to stop: both servers are closed, then the exit is a
// success, not an interruption.
const stop = () => {
  // Open event streams would keep close() waiting for ever.
  server.closeAllConnections();
  const portalClosed = new Promise((resolve) => server.close(resolve));
  Promise.all([portalClosed, sandbox.close()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
