import { Counter, type Registry } from 'prom-client';

export type CacheOutcome = 'hit' | 'miss' | 'store' | 'bypass';
export type InvalidationSource = 'mutation' | 'event';

export interface ResponseCacheMetrics {
  /**
   * `gateway_response_cache_total{outcome}`: a lookup that hit or missed, a response stored, or a
   * cache step skipped because Redis did not answer in time (lookup, store or invalidation).
   */
  outcomes: Counter<'outcome'>;
  /** `gateway_response_cache_invalidations_total{source}`: entity tags invalidated. */
  invalidations: Counter<'source'>;
}

export function createResponseCacheMetrics(registry: Registry): ResponseCacheMetrics {
  const outcomes = new Counter({
    name: 'gateway_response_cache_total',
    help: 'Response cache lookups (hit, miss), stores, and steps bypassed because Redis failed',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const invalidations = new Counter({
    name: 'gateway_response_cache_invalidations_total',
    help: 'Entity tags invalidated in the response cache, by source (mutation, event)',
    labelNames: ['source'],
    registers: [registry],
  });
  for (const outcome of ['hit', 'miss', 'store', 'bypass'] satisfies CacheOutcome[]) {
    outcomes.inc({ outcome }, 0);
  }
  for (const source of ['mutation', 'event'] satisfies InvalidationSource[]) {
    invalidations.inc({ source }, 0);
  }
  return { outcomes, invalidations };
}
