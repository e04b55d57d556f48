import { z } from 'zod';
import type { SettingsOf } from '@platform/config';
import type { ConcurrencyLimitOptions } from './concurrency-limit.js';
import type { SubgraphFetchPolicyOptions } from './subgraph-fetch-policy.js';

const milliseconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const MIB = 1024 * 1024;

/** The subgraph fetch and cache variables, a shape the gateway's config schema extends. */
export const resilienceSettings = {
  /** The longest one subgraph fetch may take, its retries included. */
  SUBGRAPH_TIMEOUT_MS: milliseconds(2000),
  /** Extra attempts for a subgraph query after a connection failure or a 502/503/504. */
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Failed attempts in a row after which a subgraph's breaker opens. */
  SUBGRAPH_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  /** How long an open breaker refuses requests before it lets a trial request through. */
  SUBGRAPH_BREAKER_HALF_OPEN_MS: milliseconds(5000),
  /**
   * Fetches one principal (a user with all its API keys, or one anonymous address) may have in
   * flight to one subgraph in this process; more wait for a slot.
   */
  SUBGRAPH_CONCURRENCY_PER_PRINCIPAL: z.coerce.number().int().positive().default(8),
  /** How long a fetch waits for its principal's slot before it is shed (CONCURRENCY_LIMIT_EXCEEDED). */
  SUBGRAPH_CONCURRENCY_WAIT_MS: milliseconds(1000),
  /** Parsed and validated operations kept, approximate bytes (LRU). */
  DOCUMENT_CACHE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * MIB),
  /** Query plans kept, approximate bytes (LRU); emptied when the supergraph changes. */
  QUERY_PLAN_CACHE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * MIB),
};

export type ResilienceSettings = SettingsOf<typeof resilienceSettings>;

export interface ResilienceConfig {
  fetchPolicy: SubgraphFetchPolicyOptions;
  principalConcurrency: ConcurrencyLimitOptions;
  documentCacheBytes: number;
  queryPlanCacheBytes: number;
}

export const resilienceConfig = (settings: ResilienceSettings): ResilienceConfig => ({
  fetchPolicy: {
    timeoutMs: settings.SUBGRAPH_TIMEOUT_MS,
    retries: settings.SUBGRAPH_RETRIES,
    breaker: {
      consecutiveFailures: settings.SUBGRAPH_BREAKER_FAILURES,
      halfOpenAfterMs: settings.SUBGRAPH_BREAKER_HALF_OPEN_MS,
    },
  },
  principalConcurrency: {
    limit: settings.SUBGRAPH_CONCURRENCY_PER_PRINCIPAL,
    maxWaitMs: settings.SUBGRAPH_CONCURRENCY_WAIT_MS,
  },
  documentCacheBytes: settings.DOCUMENT_CACHE_BYTES,
  queryPlanCacheBytes: settings.QUERY_PLAN_CACHE_BYTES,
});

/** The fetch policy of a data source built without one (the defaults above). */
export const DEFAULT_FETCH_POLICY = resilienceConfig(
  z.object(resilienceSettings).parse({}),
).fetchPolicy;
