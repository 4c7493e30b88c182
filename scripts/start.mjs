// `pnpm start`: the sandbox on SANDBOX_PORT (default 4010) and the portal on PORTAL_PORT (default
// 4000), with the sandbox's credentials printed. Run through the root script, which builds first.
import { createServer } from 'node:http';
import { createPortalHandler } from '../docs/serve.mjs';
import {
  CALLBACK_PATH,
  createDemoRoutes,
  DEMO_CALLBACK,
  EVENTS_PATH,
  onlyForAllowedHosts,
  routeByPrefix,
  SIMULATE_PATH,
} from '../examples/dashboard/server.mjs';
import { startSandbox } from '../packages/sandbox/dist/index.js';

const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const portalPort = Number(process.env.PORTAL_PORT ?? 4000);
const host = '127.0.0.1';

// The portal listens first, so that the sandbox is told the callback URL on the port the portal
// really has (PORTAL_PORT=0 picks a free one); its routes are ready before anyone is told to look.
let route = (_request, response) => response.writeHead(503).end('Starting.');
const server = createServer(onlyForAllowedHosts((request, response) => route(request, response)));
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(portalPort, host, resolve);
});
const portalUrl = `http://${host}:${server.address().port}`;

const sandbox = await startSandbox({
  port: sandboxPort,
  host,
  callback: { url: `${portalUrl}${CALLBACK_PATH}`, ...DEMO_CALLBACK },
});
const routes = createDemoRoutes({
  url: sandbox.url,
  corpId: sandbox.corpId,
  corpSecret: sandbox.corpSecret,
  callback: DEMO_CALLBACK,
  simulate: true,
});
route = routeByPrefix(routes, createPortalHandler());

console.log(`wecom-kit is running:
  portal     ${portalUrl}/            docs, guides and the errcode catalog
  reference  ${portalUrl}/reference/  the API reference
  demo       ${portalUrl}/demo/       the moments dashboard, through the proxy at /api/wecom/
  callbacks  ${portalUrl}${CALLBACK_PATH}  where the sandbox delivers events; live feed at ${EVENTS_PATH}
  sandbox    ${sandbox.url}   a simulated WeCom (control API: ${sandbox.url}/__sandbox/stats)
  corpId     ${sandbox.corpId}
  secret     ${sandbox.corpSecret}

Try: curl '${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}'
     curl -X POST -H 'content-type: application/json' ${portalUrl}${SIMULATE_PATH}   # a new customer, in the demo's live feed
Press Ctrl-C to stop.`);

const stop = () => {
  // Open event streams would keep close() waiting for ever.
  server.closeAllConnections();
  server.close();
  sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
