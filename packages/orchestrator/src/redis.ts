// @llmo/orchestrator/redis: the exact cache in Redis (shared by every process). Kept out of the main entry so
// edge bundles never carry it; it imports no Redis client itself (pass ioredis's).
export {
  RedisCacheStore,
  type RedisCacheStoreOptions,
  type RedisClientLike,
} from './redis/redis-cache-store.js';
