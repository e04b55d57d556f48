export { redisPersistedQueryCache, type PersistedQueryCache } from './apq.js';
export { principalCacheKey, principalTag } from './cache-keys.js';
export { responseCacheSettings, responseCacheStackDefaults } from './config.js';
export {
  CACHE_INVALIDATION_GROUP,
  cacheInvalidationHandler,
  startCacheInvalidationConsumer,
  tagsOfEvent,
  type CacheInvalidationConsumer,
} from './event-invalidation.js';
export {
  GATEWAY_CACHE_KEY_PREFIX,
  startGatewayResponseCache,
  type GatewayResponseCache,
  type ResponseCacheSettings,
} from './start.js';
export { createResponseCacheRedis } from './redis-connection.js';
export { createResponseCacheMetrics, type ResponseCacheMetrics } from './metrics.js';
export { responseCachePlugin } from './plugin.js';
export { responseCacheStore, type ResponseCacheStore } from './store.js';
export { recordFetchOfOperation } from './entity-tags/index.js';
