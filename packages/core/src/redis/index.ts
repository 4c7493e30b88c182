export {
  createRedisRateLimiter,
  type RedisRateLimiter,
  type RedisRateLimiterConfig,
} from './redis-rate-limiter';
export {
  createRedisSuiteTicketStore,
  type RedisSuiteTicketStore,
  type RedisSuiteTicketStoreConfig,
} from './redis-suite-ticket-store';
export {
  createRedisTokenStore,
  type RedisTokenStore,
  type RedisTokenStoreConfig,
  type RedisTokenStoreOptions,
} from './redis-token-store';
