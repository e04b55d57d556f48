import type { Logger } from '@platform/logger';
import type { Registry } from 'prom-client';
import { createResilienceMetrics } from './metrics.js';
import { timedFetchPolicy } from './timed-fetch-policy.js';
import {
  subgraphFetchPolicy,
  type SubgraphFetchPolicy,
  type SubgraphFetchPolicyOptions,
} from './subgraph-fetch-policy.js';

export interface SubgraphFetchPolicies {
  /** The policy of one subgraph: the same one (so the same breaker) for every request. */
  forSubgraph: (subgraph: string) => SubgraphFetchPolicy;
}

/**
 * One fetch policy per subgraph for a whole gateway: the data sources the gateway rebuilds on
 * every supergraph change keep their subgraph's breaker. Failures and breaker states are counted
 * on `registry` and breaker changes logged.
 */
export function subgraphFetchPolicies(
  options: SubgraphFetchPolicyOptions,
  { registry, logger }: { registry: Registry; logger: Logger },
): SubgraphFetchPolicies {
  const metrics = createResilienceMetrics(registry);
  const policies = new Map<string, SubgraphFetchPolicy>();

  return {
    forSubgraph(subgraph) {
      let policy = policies.get(subgraph);
      if (!policy) {
        metrics.breakerOpen.set({ subgraph }, 0);
        const untimed = subgraphFetchPolicy(subgraph, options, {
          onFailure: (reason) => metrics.failures.inc({ subgraph, reason }),
          onBreakerChange: (state) => {
            // Open while it refuses requests or tries one (half-open); closed again once it passed.
            metrics.breakerOpen.set({ subgraph }, state === 'closed' ? 0 : 1);
            if (state === 'open') logger.warn({ subgraph }, 'subgraph circuit breaker opened');
            if (state === 'closed') logger.info({ subgraph }, 'subgraph circuit breaker closed');
          },
        });
        policy = timedFetchPolicy(untimed, metrics.fetchDuration);
        policies.set(subgraph, policy);
      }
      return policy;
    },
  };
}
