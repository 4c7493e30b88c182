import { createWecomClient } from '@wecom-kit/client';
import { mapConcurrent } from '@wecom-kit/core/internal';
import { FigureSet } from '../lib/figures';
import { SandboxProcess, startWorker, type Worker } from '../lib/processes';
import { startRedis } from '../lib/redis';
import type { PhaseRequest, PhaseResult } from '../workers/token-stampede';

const COLD_CALLS = 1_000;
const RUNS = 5;
const PROCESSES = 4;
const REDIS_RUNS = 3;
const ONE = { op: '<=', value: 1 } as const;

/**
 * Counts gettoken requests as the sandbox saw them. A count is a worst case over the runs (the
 * maximum), not a median: one stampede in five runs is a stampede.
 */
export async function tokenStampede(): Promise<FigureSet> {
  const figures = new FigureSet('token stampede');
  const sandbox = await SandboxProcess.start({ scale: 200, concurrencyLimit: 10_000 });
  try {
    await coldInOneProcess(sandbox, figures);
    await revokedUnderLoad(sandbox, figures);
    await acrossProcesses(sandbox, figures);
  } finally {
    await sandbox.stop();
  }
  return figures;
}

function clientFor(sandbox: SandboxProcess) {
  return createWecomClient({ corpId: sandbox.corpId, corpSecret: sandbox.corpSecret, baseUrl: sandbox.url });
}

async function coldInOneProcess(sandbox: SandboxProcess, figures: FigureSet): Promise<void> {
  const counts: number[] = [];
  let failures = 0;
  for (let run = 0; run < RUNS; run++) {
    await sandbox.reset();
    const wecom = clientFor(sandbox);
    const settled = await Promise.allSettled(
      Array.from({ length: COLD_CALLS }, () => wecom.call('getFollowUserList')),
    );
    failures += settled.filter((outcome) => outcome.status === 'rejected').length;
    counts.push(await sandbox.gettokenCalls());
  }
  figures.add({
    name: `${COLD_CALLS.toLocaleString('en-US')} concurrent cold calls, one process → gettoken`,
    value: Math.max(...counts),
    unit: 'calls',
    target: ONE,
    detail: `max of ${RUNS} runs: ${counts.join(', ')}; failed calls: ${failures}`,
  });
}

async function revokedUnderLoad(sandbox: SandboxProcess, figures: FigureSet): Promise<void> {
  const counts: number[] = [];
  let failures = 0;
  for (let run = 0; run < RUNS; run++) {
    await sandbox.reset();
    const wecom = clientFor(sandbox);
    await wecom.call('getFollowUserList');
    const before = await sandbox.gettokenCalls();
    let done = 0;
    let revoked: Promise<void> | undefined;
    await mapConcurrent(
      Array.from({ length: 1_500 }, (_, index) => index),
      async () => {
        try {
          await wecom.call('getFollowUserList');
        } catch {
          failures += 1;
        }
        done += 1;
        // Revoke a third of the way in, while 32 calls are in flight.
        if (done === 500) revoked = sandbox.revokeTokens();
      },
      { concurrency: 32 },
    );
    await revoked;
    counts.push((await sandbox.gettokenCalls()) - before);
  }
  figures.add({
    name: 'token revoked under load (32 in flight) → refreshes',
    value: Math.max(...counts),
    unit: 'calls',
    target: ONE,
    detail: `max of ${RUNS} runs: ${counts.join(', ')}; failed calls: ${failures}`,
  });
}

async function acrossProcesses(sandbox: SandboxProcess, figures: FigureSet): Promise<void> {
  const coldName = `${PROCESSES} processes × ${COLD_CALLS / PROCESSES} cold calls, shared Redis → gettoken`;
  const revokeName = `${PROCESSES} processes, token revoked under load, shared Redis → refreshes`;
  const redis = await startRedis();
  if (!redis) {
    figures.unmeasured(
      [
        { name: coldName, unit: 'calls', target: ONE },
        { name: revokeName, unit: 'calls', target: ONE },
      ],
      'redis-server is not installed (apt-get install -y redis-server)',
    );
    return;
  }
  try {
    const coldCounts: number[] = [];
    const revokeCounts: number[] = [];
    const failures: string[] = [];
    for (let run = 0; run < REDIS_RUNS; run++) {
      await sandbox.reset();
      // A new key prefix per run makes every run cold without flushing Redis.
      const group = await WorkerGroup.start({
        url: sandbox.url,
        corpId: sandbox.corpId,
        corpSecret: sandbox.corpSecret,
        redisUrl: redis.url,
        keyPrefix: `bench:${Date.now()}:${run}:`,
      });
      try {
        const cold = await group.phase({
          calls: COLD_CALLS / PROCESSES,
          concurrency: COLD_CALLS / PROCESSES,
        });
        coldCounts.push(await sandbox.gettokenCalls());
        const before = await sandbox.gettokenCalls();
        const load = group.phase({ calls: 1_500, concurrency: 8 });
        await waitForCalls(sandbox, COLD_CALLS + 1_500);
        await sandbox.revokeTokens();
        const loaded = await load;
        revokeCounts.push((await sandbox.gettokenCalls()) - before);
        for (const result of [...cold, ...loaded])
          if (result.failed > 0) failures.push(result.firstError ?? 'failed');
      } finally {
        await group.stop();
      }
    }
    const failureNote = failures.length ? `; failures: ${failures[0]}` : '';
    figures.add({
      name: coldName,
      value: Math.max(...coldCounts),
      unit: 'calls',
      target: ONE,
      detail: `max of ${REDIS_RUNS} runs: ${coldCounts.join(', ')}${failureNote}`,
    });
    figures.add({
      name: revokeName,
      value: Math.max(...revokeCounts),
      unit: 'calls',
      target: ONE,
      detail: `max of ${REDIS_RUNS} runs: ${revokeCounts.join(', ')}${failureNote}`,
    });
  } finally {
    await redis.stop();
  }
}

/** Worker processes that run each phase together: released at the same instant, once all are connected to Redis. */
class WorkerGroup {
  private constructor(private readonly workers: Worker<unknown>[]) {}

  static async start(input: Record<string, unknown>): Promise<WorkerGroup> {
    const workers = Array.from({ length: PROCESSES }, () =>
      startWorker<unknown>('token-stampede.ts', input, { ipc: true, timeoutMs: 120_000 }),
    );
    const allReady = Promise.all(workers.map((worker) => worker.ready)).then(() => true);
    const firstExit = Promise.race(workers.map((worker) => worker.result.then(() => false)));
    if (!(await Promise.race([allReady, firstExit])))
      throw new Error('a token-stampede worker exited before it was ready');
    return new WorkerGroup(workers);
  }

  phase(request: PhaseRequest): Promise<PhaseResult[]> {
    const answers = this.workers.map(
      (worker) =>
        new Promise<PhaseResult>((resolve) =>
          worker.child.once('message', (message) => resolve(message as PhaseResult)),
        ),
    );
    for (const worker of this.workers) worker.child.send?.(request);
    return Promise.all(answers);
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) worker.child.send?.('exit');
    await Promise.allSettled(this.workers.map((worker) => worker.result));
  }
}

/** Polls the sandbox until it has served `count` business calls since the last reset (bounded). */
async function waitForCalls(sandbox: SandboxProcess, count: number): Promise<void> {
  for (let poll = 0; poll < 600; poll++) {
    const { calls } = await sandbox.stats();
    const business = Object.entries(calls)
      .filter(([path]) => path !== '/cgi-bin/gettoken')
      .reduce((sum, [, value]) => sum + value, 0);
    if (business >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
