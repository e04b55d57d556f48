export { tracedCacheStore } from './cache-store.js';
export { recordFetchOutcome, type FetchOutcome } from './fetch-outcome.js';
export { tracingPlugin } from './plugin.js';
export { tracedRateLimiter } from './rate-limiter.js';
