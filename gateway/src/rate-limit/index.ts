export {
  createRateLimiter,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterOptions,
} from './limiter.js';
export { createRateLimitMetrics, type RateLimitMetrics } from './metrics.js';
export { rateLimitHeaders, rateLimitedError, RATE_LIMITED } from './headers.js';
export { rateLimitPlugin, rateLimitDecisionOf, type RateLimitPluginOptions } from './plugin.js';
export {
  rateLimitConfig,
  rateLimitSettings,
  type RateLimitConfig,
  type RateLimitSettings,
} from './config.js';
export { principalKey, tierOf, type RateLimitTier, type TierLimits } from './tiers.js';
export { TOKEN_BUCKET_LUA } from './token-bucket-script.js';
