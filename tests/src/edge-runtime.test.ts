import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@wecom-kit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Edge runtimes (Vercel's edge-light, Cloudflare's workerd) have fetch but no node:http. Their
// bundlers pick the client's `edge-light`/`workerd` build: a Node process that refuses to load
// node:http stands in for such a runtime, and must still run the whole server stack.
const folder = mkdtempSync(join(tmpdir(), 'wecom-kit-edge-'));
const blocker = join(folder, 'no-node-http.mjs');
writeFileSync(
  blocker,
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(specifier, context, next) {' +
  '  if (/^(node:)?https?$/.test(specifier)) throw new Error("this runtime has no " + specifier);' +
  '  return next(specifier, context);' +
  '}'));
`,
);
const SCRIPT = `
import { createWecomClient } from '@wecom-kit/client';
const wecom = createWecomClient({ corpId: process.env.CORP_ID, corpSecret: process.env.CORP_SECRET, baseUrl: process.env.BASE_URL });
const { follow_user } = await wecom.call('getFollowUserList');
console.log(JSON.stringify({ members: follow_user.length }));
`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scale: 200 });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(folder, { recursive: true, force: true });
});

// React Native's bundler (Metro) resolves the `react-native` condition, not `browser`: the app
// gets the fetch-only browser client, which sends no token (the proxy adds it).
const BROWSER_SCRIPT = `
import { createWecomClient, WecomError } from '@wecom-kit/client';
const wecom = createWecomClient({ baseUrl: process.env.BASE_URL });
const error = await wecom.call('getFollowUserList').catch((caught) => caught);
console.log(JSON.stringify({ wecomError: error instanceof WecomError, errcode: error.errcode }));
`;

/** Runs a script in a Node process that cannot load node:http; the sandbox answers from this process. */
function runWithout(
  conditions: string[],
  script = SCRIPT,
): Promise<{ failed: boolean; stdout: string; stderr: string }> {
  const args = [...conditions.map((name) => `--conditions=${name}`), '--import', blocker];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...args, '--input-type=module', '-e', script],
      {
        cwd: import.meta.dirname,
        timeout: 30_000,
        env: {
          ...process.env,
          CORP_ID: sandbox.corpId,
          CORP_SECRET: sandbox.corpSecret,
          BASE_URL: sandbox.url,
        },
      },
      (error, stdout, stderr) => resolve({ failed: error !== null, stdout, stderr }),
    );
  });
}

describe('the client on a runtime without node:http', () => {
  it.each(['edge-light', 'workerd'])(
    'runs the whole server stack through fetch under the %s condition',
    async (condition) => {
      const run = await runWithout([condition]);
      expect(run.stderr).toBe('');
      const members = sandbox.state.people.members.filter(
        (member) => member.hasCustomerContact && member.dimissionTime === undefined,
      );
      expect(JSON.parse(run.stdout)).toEqual({ members: members.length });
    },
  );

  it('loads the fetch-only browser client under the react-native condition', async () => {
    const run = await runWithout(['react-native'], BROWSER_SCRIPT);
    expect(run.stderr).toBe('');
    // Sent without a token, as a browser client behind the proxy does: WeCom's answer comes back.
    expect(JSON.parse(run.stdout)).toEqual({ wecomError: true, errcode: 41001 });
  });

  it('is needed: the Node build cannot load there', async () => {
    const run = await runWithout([]);
    expect(run.failed).toBe(true);
    expect(run.stderr).toMatch(/this runtime has no (node:)?http/);
  });
});
