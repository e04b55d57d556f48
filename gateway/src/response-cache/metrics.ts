import { Counter, type Registry } from 'prom-client';

export type CacheOutcome = 'hit' | 'miss' | 'store' | 'bypass';
export type InvalidationSource = 'mutation' | 'event' | 'notification';
export type LocalTierOutcome = 'hit' | 'fill' | 'fill_refused';
export type FastPathOutcome = 'served' | 'passed';

export interface ResponseCacheMetrics {
  /**
   * `gateway_response_cache_total{outcome}`: a lookup that hit or missed, a response stored, or a
   * cache step skipped because Redis did not answer in time (lookup, store or invalidation).
   */
  outcomes: Counter<'outcome'>;
  /** `gateway_response_cache_invalidations_total{source}`: entity tags invalidated. */
  invalidations: Counter<'source'>;
  /**
   * `gateway_response_cache_local_total{outcome}`: hits answered by this process's local tier,
   * entries copied into it from Redis, and copies refused because an invalidation raced the read.
   */
  local: Counter<'outcome'>;
  /**
   * `gateway_response_cache_fast_path_total{outcome}`: requests the fast path answered, and those
   * it passed on to the normal path (no entry, an unusual request, a refusal to reproduce).
   */
  fastPath: Counter<'outcome'>;
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
  const local = new Counter({
    name: 'gateway_response_cache_local_total',
    help: 'The in-process tier: hits, entries copied from Redis, copies refused (a racing invalidation)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const fastPath = new Counter({
    name: 'gateway_response_cache_fast_path_total',
    help: 'Requests the cache fast path served, or passed on to the normal path',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['hit', 'fill', 'fill_refused'] satisfies LocalTierOutcome[]) {
    local.inc({ outcome }, 0);
  }
  for (const outcome of ['served', 'passed'] satisfies FastPathOutcome[]) {
    fastPath.inc({ outcome }, 0);
  }
  for (const outcome of ['hit', 'miss', 'store', 'bypass'] satisfies CacheOutcome[]) {
    outcomes.inc({ outcome }, 0);
  }
  for (const source of ['mutation', 'event', 'notification'] satisfies InvalidationSource[]) {
    invalidations.inc({ source }, 0);
  }
  return { outcomes, invalidations, local, fastPath };
}
