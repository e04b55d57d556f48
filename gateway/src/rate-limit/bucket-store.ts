import { fallbackBuckets } from './fallback-buckets.js';
import type { BucketLimits, BucketOutcome } from './token-bucket.js';

/**
 * Where the limiter keeps the token buckets every gateway process shares: Redis in the gateway
 * (`redisTokenBucket`), memory in unit tests (`memoryTokenBuckets`).
 */
export interface TokenBucketStore {
  /**
   * Whether `take` can be tried now. False means the store is not connected: the limiter decides
   * in memory at once (fallback reason `disconnected`) instead of waiting for it.
   */
  ready(): boolean;
  /** Refills the bucket at `key`, charges `cost` if it fits, in one atomic step. */
  take(key: string, limits: BucketLimits, cost: number): Promise<BucketOutcome>;
}

/**
 * Token buckets in this process's memory behind the store interface, with the fallback's
 * arithmetic and bound (`fallbackBuckets`): always ready, never failing. For unit tests of the
 * limiter and the plugin without Redis; a single gateway process could also use it.
 */
export function memoryTokenBuckets(maxKeys = 10_000): TokenBucketStore {
  const buckets = fallbackBuckets(maxKeys);
  return {
    ready: () => true,
    take: async (key, limits, cost) => buckets.take(key, limits, cost),
  };
}
