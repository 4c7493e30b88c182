export {
  createRedisRateLimiter,
  type RedisRateLimiter,
  type RedisRateLimiterConfig,
} from './redis-rate-limiter';
export {
  createRedisTokenStore,
  type RedisTokenStore,
  type RedisTokenStoreConfig,
  type RedisTokenStoreOptions,
} from './redis-token-store';
