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
} from './gateway-response-cache.js';
export { createResponseCacheRedis } from './redis-connection.js';
export { createResponseCacheMetrics, type ResponseCacheMetrics } from './response-cache-metrics.js';
export { responseCachePlugin } from './response-cache-plugin.js';
export { responseCacheStore, type ResponseCacheStore } from './response-cache-store.js';
export { recordFetchOfOperation } from './entity-tags/index.js';
