import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import {
  takeTokens,
  type BucketLimits,
  type BucketOutcome,
  type BucketState,
} from './token-bucket.js';

export interface FallbackBuckets {
  take(key: string, limits: BucketLimits, cost: number): BucketOutcome;
}

/**
 * Token buckets in this process's memory, for when Redis cannot be reached: the same arithmetic on
 * the process's monotonic clock, in a bounded map (the least recently used bucket is forgotten,
 * which is the same as letting it fill up).
 */
export function fallbackBuckets(maxKeys: number): FallbackBuckets {
  const buckets = new LRUCache<string, BucketState>({ max: maxKeys });
  return {
    take(key, limits, cost) {
      const { state, outcome } = takeTokens(buckets.get(key), performance.now(), limits, cost);
      buckets.set(key, state);
      return outcome;
    },
  };
}
