import { MemorySuiteTicketStore, SUITE_TICKET_TTL_MS, type SuiteTicketStore } from '../token/suite-tickets';
import { connectRedis, type RedisConnectionConfig } from './connection';

export type RedisSuiteTicketStoreConfig = RedisConnectionConfig;

export interface RedisSuiteTicketStore extends SuiteTicketStore {
  /** True while Redis is failing and tickets are kept per process. */
  readonly usingFallback: boolean;
  /** Closes the Redis connection if the store opened it (not a client that was passed in). */
  close(): Promise<void>;
}

/**
 * Suite tickets shared through Redis, so that the process that receives the command callbacks
 * and every process that calls WeCom see the same latest ticket. Each ticket is kept for as long
 * as WeCom accepts it (30 minutes). While Redis fails, tickets are kept per process.
 */
export function createRedisSuiteTicketStore(config: RedisSuiteTicketStoreConfig): RedisSuiteTicketStore {
  const connection = connectRedis(config);
  const { redis, prefix, withRedis } = connection;
  const local = new MemorySuiteTicketStore();
  const key = (suiteId: string) => `${prefix}wecom:suite-ticket:${suiteId}`;
  return {
    get usingFallback() {
      return connection.usingFallback;
    },
    get: (suiteId) =>
      withRedis(
        async () => (await redis.get(key(suiteId))) ?? undefined,
        () => local.get(suiteId),
      ),
    async set(suiteId, ticket) {
      // Kept locally as well: a Redis outage must not lose the newest ticket this process received.
      await local.set(suiteId, ticket);
      await withRedis(
        async () => {
          await redis.set(key(suiteId), ticket, 'PX', SUITE_TICKET_TTL_MS);
        },
        () => undefined,
      );
    },
    close: () => connection.close(),
  };
}
