// `pnpm start`: the sandbox on SANDBOX_PORT (default 4010) and the portal on PORTAL_PORT (default
// 4000), with the sandbox's credentials printed. Run through the root script, which builds first.
import { createServer } from 'node:http';
import { createPortalHandler } from '../docs/serve.mjs';
import { createDemoRoutes } from '../examples/dashboard/server.mjs';
import { startSandbox } from '../packages/sandbox/dist/index.js';

const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
const portalPort = Number(process.env.PORTAL_PORT ?? 4000);
const host = '127.0.0.1';

const sandbox = await startSandbox({ port: sandboxPort, host });

/** Routes by path prefix; the portal answers everything else. */
const routes = createDemoRoutes(sandbox);
const portal = createPortalHandler();
const server = createServer((request, response) => {
  const route = routes.find(({ prefix }) => request.url?.startsWith(prefix));
  (route?.handle ?? portal)(request, response);
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(portalPort, host, resolve);
});

const portalUrl = `http://${host}:${portalPort}`;
console.log(`wecom-kit is running:
  portal     ${portalUrl}/            docs, guides and the errcode catalog
  reference  ${portalUrl}/reference/  the API reference
  demo       ${portalUrl}/demo/       the moments dashboard, through the proxy at /api/wecom/
  sandbox    ${sandbox.url}   a simulated WeCom (control API: ${sandbox.url}/__sandbox/stats)
  corpId     ${sandbox.corpId}
  secret     ${sandbox.corpSecret}

Try: curl '${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.corpSecret}'
Press Ctrl-C to stop.`);

const stop = () => {
  server.close();
  sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
