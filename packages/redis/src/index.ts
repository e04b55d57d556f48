export {
  REDIS_MODES,
  redisSettings,
  redisTarget,
  redisTargetOf,
  type RedisMode,
  type RedisSettings,
  type RedisTarget,
} from './settings.js';
export { createRedisConnection, type RedisConnection, type RedisPolicy } from './connection.js';
export { checkRedisAccess, RedisAccessError, type RedisAccess } from './access-check.js';
export { hashTagged } from './hash-tags.js';
