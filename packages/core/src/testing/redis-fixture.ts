import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type RunningRedis, startRedis } from './redis-server';

export interface RedisFixture {
  readonly url: string;
  /** A connection of the test's own, to look at or plant keys. */
  readonly inspector: Redis;
}

/** A real Redis for the test file: started before its tests, stopped after them. */
export function useRedis(): RedisFixture {
  let server: RunningRedis;
  let inspector: Redis;
  beforeAll(async () => {
    server = await startRedis();
    inspector = new Redis(server.url);
  });
  afterAll(async () => {
    inspector.disconnect();
    await server.stop();
  });
  return {
    get url() {
      return server.url;
    },
    get inspector() {
      return inspector;
    },
  };
}
