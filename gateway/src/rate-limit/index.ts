export { createRateLimiter, type RateLimiter } from './limiter.js';
export { memoryTokenBuckets, type TokenBucketStore } from './bucket-store.js';
export { redisTokenBucket } from './token-bucket-script.js';
export { createRateLimitMetrics } from './metrics.js';
export { RATE_LIMITED, rateLimitedError, rateLimitHeaders } from './headers.js';
export { rateLimitPlugin } from './plugin.js';
export { rateLimitConfig } from './config.js';
export { cacheHitCost } from './cache-hit-cost.js';
export { refusedCallers, type RefusedCallers } from './refused-callers.js';
