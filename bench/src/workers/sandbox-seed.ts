// Starts the sandbox at a scale in a fresh process and reports how long seeding and listening took.
import { startSandbox } from '@wecom-kit/sandbox';
import { reportResult, workerInput } from '../lib/processes';

export interface SeedResult {
  ms: number;
  rssMb: number;
  follows: number;
  moments: number;
}

const { scale } = workerInput<{ scale: number }>();
const started = performance.now();
const sandbox = await startSandbox({ port: 0, scale });
const ms = performance.now() - started;
const result: SeedResult = {
  ms,
  rssMb: process.memoryUsage.rss() / 2 ** 20,
  follows: sandbox.state.people.follows.length,
  moments: sandbox.state.moments.moments.length,
};
await sandbox.close();
reportResult(result);
