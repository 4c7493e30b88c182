import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WecomEvent } from '../events';
import { observe } from '../testing/audit';
import { type RunningRedis, startRedis } from '../testing/redis-server';
import { FakeWecom, GETTOKEN_PATH } from '../testing/wecom-server';

const PROCESSES = 4;
const CALLS_PER_PROCESS = 25;
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const CHILD = fileURLToPath(new URL('../testing/token-child.ts', import.meta.url));

interface BurstResult {
  ok: number;
  errors: string[];
  events: WecomEvent[];
  usingFallback: boolean;
}

/** A child process running token-child.ts: one JSON line in answer to each command. */
class Child {
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #pending: ((line: string) => void)[] = [];
  #stderr = '';

  constructor(env: Record<string, string>) {
    this.#process = spawn(TSX, [CHILD], { env: { ...process.env, ...env } });
    this.#process.stderr.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    this.#lines = createInterface({ input: this.#process.stdout });
    this.#lines.on('line', (line) => this.#pending.shift()?.(line));
  }

  next<T>(): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child did not answer; stderr:\n${this.#stderr}`)),
        20_000,
      );
      this.#pending.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      });
    });
  }

  send<T>(command: string): Promise<T> {
    const answer = this.next<T>();
    this.#process.stdin.write(`${command}\n`);
    return answer;
  }

  async stop(): Promise<void> {
    if (this.#process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#process.once('exit', resolve));
    this.#process.stdin.write('exit\n');
    const timer = setTimeout(() => this.#process.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

let redis: RunningRedis;
let fake: FakeWecom;
let children: Child[] = [];

async function burstAll(): Promise<BurstResult[]> {
  const results = await Promise.all(
    children.map((child) => child.send<BurstResult>(`burst ${CALLS_PER_PROCESS}`)),
  );
  for (const result of results) {
    for (const event of result.events) observe(event);
    for (const error of result.errors) observe(error);
  }
  return results;
}

beforeAll(async () => {
  [redis, fake] = await Promise.all([startRedis(), FakeWecom.start()]);
  const env = {
    REDIS_URL: redis.url,
    BASE_URL: fake.baseUrl,
    CORP_ID: fake.corpId,
    CORP_SECRET: fake.corpSecret,
  };
  children = Array.from({ length: PROCESSES }, () => new Child(env));
  await Promise.all(children.map((child) => child.next<{ ready: boolean }>()));
}, 30_000);

afterAll(async () => {
  await Promise.all(children.map((child) => child.stop()));
  await Promise.all([redis.stop(), fake.close()]);
});

describe(`${PROCESSES} processes sharing tokens through Redis`, () => {
  it(`${PROCESSES} × ${CALLS_PER_PROCESS} concurrent cold calls → exactly 1 gettoken`, async () => {
    // A slow gettoken keeps the refresh lock held while every process piles up behind it.
    fake.fault(GETTOKEN_PATH, { type: 'latency', ms: 200 });
    const results = await burstAll();
    expect(results.map((result) => result.ok)).toEqual(Array(PROCESSES).fill(CALLS_PER_PROCESS));
    expect(fake.gettokenCalls).toBe(1);
  });

  it('a token WeCom revoked → exactly 1 refresh across all processes', async () => {
    const before = fake.gettokenCalls;
    fake.revokeTokens();
    const results = await burstAll();
    expect(results.map((result) => result.ok)).toEqual(Array(PROCESSES).fill(CALLS_PER_PROCESS));
    expect(fake.gettokenCalls - before).toBe(1);
  });

  it('Redis stopped mid-run → calls keep working per process, with a redis-fallback event', async () => {
    const before = fake.gettokenCalls;
    await redis.stop();
    const results = await burstAll();
    expect(results.map((result) => result.ok)).toEqual(Array(PROCESSES).fill(CALLS_PER_PROCESS));
    for (const result of results) {
      expect(result.usingFallback).toBe(true);
      expect(result.events.filter((event) => event.type === 'redis-fallback')).toEqual([
        expect.objectContaining({ type: 'redis-fallback', phase: 'enter' }),
      ]);
    }
    // Each process kept the last token it saw in Redis, so nobody needed gettoken.
    expect(fake.gettokenCalls - before).toBe(0);

    // A revocation while Redis is down costs at most one gettoken per process, never a storm.
    fake.revokeTokens();
    const afterRevoke = await burstAll();
    expect(afterRevoke.map((result) => result.ok)).toEqual(Array(PROCESSES).fill(CALLS_PER_PROCESS));
    expect(fake.gettokenCalls - before).toBeGreaterThanOrEqual(1);
    expect(fake.gettokenCalls - before).toBeLessThanOrEqual(PROCESSES);
  });

  it('Redis back → the processes return to it (redis-fallback exit)', async () => {
    redis = await startRedis(redis.port);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const results = await burstAll();
    expect(results.map((result) => result.ok)).toEqual(Array(PROCESSES).fill(CALLS_PER_PROCESS));
    for (const result of results) {
      expect(result.usingFallback).toBe(false);
      expect(result.events).toContainEqual({ type: 'redis-fallback', phase: 'exit' });
    }
  });
});
