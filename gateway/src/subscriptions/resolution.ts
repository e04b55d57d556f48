import type { Registry } from 'prom-client';
import { createResolutionMetrics } from './metrics.js';
import { queryGate } from './query-gate.js';
import type { RunQuery } from './run-query.js';
import { sharedQueries } from './shared-queries.js';

export interface ResolutionOptions {
  /** SUBSCRIPTION_RESOLVE_CONCURRENCY */
  concurrency: number;
  registry: Registry;
}

/**
 * How long an answered subscription query is handed to identical ones: long enough for every
 * subscription an event reached to ask (they ask as soon as they are free), short enough that a
 * later event about the same notification sees fresh data.
 */
const KEEP_ANSWERED_MS = 2_000;

/**
 * What subscriptions resolve with: identical queries of one principal share one answer, and the
 * distinct ones pass a gate of `concurrency` places before the gateway's pipeline runs them.
 */
export function subscriptionQueries(runQuery: RunQuery, options: ResolutionOptions): RunQuery {
  const gate = queryGate(runQuery, options.concurrency);
  const metrics = createResolutionMetrics(options.registry, gate);
  return sharedQueries(gate.run, {
    keepMs: KEEP_ANSWERED_MS,
    onRun: () => metrics.resolutions.inc(),
    onShared: () => metrics.shared.inc(),
  });
}
