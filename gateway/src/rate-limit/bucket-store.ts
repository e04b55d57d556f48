import { fallbackBuckets } from './fallback-buckets.js';
import type { BucketLimits, BucketOutcome } from './token-bucket.js';

/** One bucket a charge draws on. */
export interface BucketCharge {
  key: string;
  limits: BucketLimits;
}

/** What a charge to several buckets did: the tightest bucket's numbers, and which it is. */
export interface ChargeOutcome extends BucketOutcome {
  /** Index in the charges of the bucket with the fewest tokens left. */
  binding: number;
}

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
  /**
   * Refills the buckets, charges `cost` to every one if each holds it (else to none), in one
   * atomic step (`takeFromAll`).
   */
  take(charges: readonly BucketCharge[], cost: number): Promise<ChargeOutcome>;
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
    take: async (charges, cost) => buckets.take(charges, cost),
  };
}
