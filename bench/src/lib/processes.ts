import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sandboxCli = fileURLToPath(new URL('../../../packages/sandbox/dist/cli.js', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Resolves with the first stdout line that matches, or rejects when the process exits or time runs out. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(
      () => fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.match(pattern);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`exited with ${code} before ready: ${stderr.slice(-2000)}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
    }
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
  });
}

export interface SandboxProcessOptions {
  scale?: number;
  rateLimitPerMinute?: number;
  concurrencyLimit?: number;
  corpSecret?: string;
}

export interface SandboxStatsSnapshot {
  calls: Record<string, number>;
  applied: Record<string, number>;
  errcodes: Record<string, number>;
  tokensIssued: number;
}

/** The sandbox CLI in its own process (as `pnpm sandbox` runs it), so its CPU and memory stay out of the measured process. */
export class SandboxProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly corpId: string,
    readonly corpSecret: string,
  ) {}

  static async start(options: SandboxProcessOptions = {}): Promise<SandboxProcess> {
    const corpSecret = options.corpSecret ?? `bench-secret-${process.pid}-${Date.now()}`;
    const args = [sandboxCli, '--port', '0', '--host', '127.0.0.1', '--corp-secret', corpSecret];
    if (options.scale !== undefined) args.push('--scale', String(options.scale));
    if (options.rateLimitPerMinute !== undefined)
      args.push('--rate-limit-per-minute', String(options.rateLimitPerMinute));
    if (options.concurrencyLimit !== undefined)
      args.push('--concurrency-limit', String(options.concurrencyLimit));
    const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    const [, url, corpId] = await waitForLine(
      child,
      /listening on (http:\/\/127\.0\.0\.1:\d+)\s+corpId:\s+(\S+)/,
      120_000,
    );
    child.stdout?.resume();
    child.stderr?.resume();
    return new SandboxProcess(child, url as string, corpId as string, corpSecret);
  }

  async stats(): Promise<SandboxStatsSnapshot> {
    return (await fetch(`${this.url}/__sandbox/stats`)).json() as Promise<SandboxStatsSnapshot>;
  }

  async gettokenCalls(): Promise<number> {
    return (await this.stats()).calls['/cgi-bin/gettoken'] ?? 0;
  }

  async reset(): Promise<void> {
    await this.control('reset');
  }

  async revokeTokens(): Promise<void> {
    await this.control('revoke-tokens');
  }

  private async control(route: string): Promise<void> {
    const response = await fetch(`${this.url}/__sandbox/${route}`, { method: 'POST' });
    if (!response.ok) throw new Error(`sandbox ${route} answered HTTP ${response.status}`);
    await response.text();
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface WorkerOptions {
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
  timeoutMs: number;
  /** Keeps an IPC channel open so the parent can release several workers at the same instant. */
  ipc?: boolean;
}

export interface Worker<Result> {
  readonly child: ChildProcess;
  /** Resolves when the worker prints `{"ready":true}`. */
  readonly ready: Promise<void>;
  /** The JSON object of the worker's last stdout line. */
  readonly result: Promise<Result>;
}

/** Runs a TypeScript file of src/workers in a fresh Node process, passing `input` as JSON. */
export function startWorker<Result>(file: string, input: unknown, options: WorkerOptions): Worker<Result> {
  const script = fileURLToPath(new URL(`../workers/${file}`, import.meta.url));
  const child = track(
    spawn(
      process.execPath,
      [...(options.nodeFlags ?? []), '--import', tsxLoader, script, JSON.stringify(input)],
      {
        stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('{"ready":true}')) markReady();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const result = new Promise<Result>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${file} ran past ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`worker ${file} exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as Result);
      } catch {
        reject(
          new Error(`worker ${file} printed no JSON result: ${last.slice(0, 200)} ${stderr.slice(-1000)}`),
        );
      }
    });
  });
  return { child, ready, result };
}

/** A worker that serves HTTP until stopped; it prints `listening on <url>` when ready. */
export async function startServerWorker(
  file: string,
  input: unknown,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL(`../workers/${file}`, import.meta.url));
  const child = track(
    spawn(process.execPath, ['--import', tsxLoader, script, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const [, url] = await waitForLine(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
  child.stdout?.resume();
  child.stderr?.resume();
  return { url: url as string, stop: () => stopChild(child) };
}

export async function runWorker<Result>(
  file: string,
  input: unknown,
  options: WorkerOptions,
): Promise<Result> {
  return startWorker<Result>(file, input, options).result;
}

/** Reads the single JSON argument a worker was started with. */
export function workerInput<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Prints the worker's result as its last stdout line. */
export function reportResult(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
