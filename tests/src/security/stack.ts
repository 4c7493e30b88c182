// The stack `pnpm start` runs (sandbox, portal, demo behind createWecomProxy, callback route), as a
// child process, and raw HTTP for requests that fetch would refuse to send (a foreign Host, a
// target that does not parse).
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '../../..');

export interface RunningStack {
  portal: string;
  sandbox: string;
  corpId: string;
  /** The sandbox's counters: calls per API path, applied writes, tokens issued. */
  stats(): Promise<{ calls: Record<string, number>; applied: Record<string, number>; tokensIssued: number }>;
  stop(): void;
}

/** Starts scripts/start.mjs on free ports and resolves once it printed where everything is. */
export function startStack(): Promise<RunningStack> {
  const child: ChildProcess = spawn('node', ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: { ...process.env, SANDBOX_PORT: '0', PORTAL_PORT: '0' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`scripts/start.mjs exited with ${code}:\n${output}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Press Ctrl-C to stop.')) return;
      const portal = /portal\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1] ?? '';
      const sandbox = /sandbox\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      resolve({
        portal,
        sandbox,
        corpId: /corpId\s+(\S+)/.exec(output)?.[1] ?? '',
        stats: async () => (await fetch(`${sandbox}/__sandbox/stats`)).json(),
        stop: () => child.kill('SIGINT'),
      });
    });
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP/1.1 request sent exactly as given: the target and the Host header are not normalised. */
export function rawRequest(
  base: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const { hostname, port, host } = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: hostname,
        port,
        path: target,
        method: options.method ?? 'GET',
        headers: { host, ...options.headers },
        setHost: false,
        // A fresh connection each time: a refused request may leave its body unread on the socket.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
