export {
  createRedisTokenStore,
  type RedisTokenStore,
  type RedisTokenStoreConfig,
  type RedisTokenStoreOptions,
} from './redis-token-store';
