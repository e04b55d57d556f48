import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import type { BucketCharge, ChargeOutcome } from './bucket-store.js';
import { takeFromAll, type BucketState } from './token-bucket.js';

export interface FallbackBuckets {
  take(charges: readonly BucketCharge[], cost: number): ChargeOutcome;
}

/**
 * Token buckets in this process's memory, for when Redis cannot be reached: the same arithmetic on
 * the process's monotonic clock, in a bounded map (the least recently used bucket is forgotten,
 * which is the same as letting it fill up).
 */
export function fallbackBuckets(maxKeys: number): FallbackBuckets {
  const buckets = new LRUCache<string, BucketState>({ max: maxKeys });
  return {
    take(charges, cost) {
      const { states, outcome, binding } = takeFromAll(
        charges.map(({ key }) => buckets.get(key)),
        performance.now(),
        charges.map(({ limits }) => limits),
        cost,
      );
      charges.forEach(({ key }, i) => buckets.set(key, states[i]!));
      return { ...outcome, binding };
    },
  };
}
