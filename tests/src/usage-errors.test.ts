import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The sandbox CLI and `pnpm start` as a user runs them: every wrong flag or environment variable
// is named in the message, with how to fix it, and exits with the one usage-error code, 2.
const repoRoot = join(import.meta.dirname, '../..');
const sandboxBin = join(repoRoot, 'packages/sandbox/bin/wecom-sandbox.js');
const startScript = join(repoRoot, 'scripts/start.mjs');
const USAGE_ERROR = 2;

interface Finished {
  code: number | null;
  stderr: string;
}

function runToEnd(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A usage error ends the process at once; one that starts instead would be a failure, so stop it.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr });
    });
  });
}

let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('wecom-sandbox refuses a wrong flag, naming it', () => {
  it.each([
    [['--scale', '100001'], /--scale must be a whole number from 0 to 100000, got "100001"/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535, got "70000"/],
    [['--seed=1.5'], /--seed must be a whole number/],
    [['--fault', '{"errcode":-1,'], /--fault must be a JSON object/],
    [
      ['--callback-url', 'http://127.0.0.1:9/cb'],
      /--callback-url, --callback-token and --callback-aes-key must be given together/,
    ],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['--port'], /'--port <value>' argument missing/],
  ])('%j', async (args, message) => {
    const { code, stderr } = await runToEnd([sandboxBin, ...args]);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('wecom-sandbox --help');
    expect(code).toBe(USAGE_ERROR);
  });

  it('says which flag moves it off a busy port', async () => {
    const { code, stderr } = await runToEnd([sandboxBin, '--port', String(busyPort)]);
    expect(stderr).toMatch(new RegExp(`Port ${busyPort} is already in use: pass another with --port N`));
    expect(code).toBe(USAGE_ERROR);
  });
});

describe('pnpm start refuses a wrong environment variable, naming it', () => {
  it.each([
    [{ SANDBOX_PORT: '70000', PORTAL_PORT: '0' }, /SANDBOX_PORT must be a port number from 0 to 65535/],
    [{ SANDBOX_PORT: '0', PORTAL_PORT: 'http' }, /PORTAL_PORT must be a port number/],
  ])('%j', async (env, message) => {
    const { code, stderr } = await runToEnd([startScript], env);
    expect(stderr).toMatch(message);
    expect(code).toBe(USAGE_ERROR);
  });

  it.each(['PORTAL_PORT', 'SANDBOX_PORT'])('says that %s is busy and how to change it', async (name) => {
    const { code, stderr } = await runToEnd([startScript], {
      PORTAL_PORT: '0',
      SANDBOX_PORT: '0',
      [name]: String(busyPort),
    });
    expect(stderr).toContain(
      `Port ${busyPort} (${name}) is already in use: set ${name} to another port, or ${name}=0`,
    );
    expect(code).toBe(USAGE_ERROR);
  });
});

describe('pnpm start stops cleanly', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s: closes both servers and exits 0',
    async (signal) => {
      const child = spawn(process.execPath, [startScript], {
        cwd: repoRoot,
        env: { ...process.env, PORTAL_PORT: '0', SANDBOX_PORT: '0' },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain('Press Ctrl-C to stop.');
      const portal = /portal\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
      const sandbox = /sandbox\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      child.kill(signal);
      expect(await exited).toEqual({ code: 0, signal: null });
      for (const url of [portal, sandbox]) {
        await expect(fetch(`${url}/`), `${url} is closed`).rejects.toThrow();
      }
    },
    60_000,
  );
});
