export { createRateLimiter, type RateLimiter } from './limiter.js';
export { createRateLimitMetrics } from './metrics.js';
export { rateLimitedError } from './headers.js';
export { rateLimitPlugin } from './plugin.js';
export { rateLimitConfig } from './config.js';
