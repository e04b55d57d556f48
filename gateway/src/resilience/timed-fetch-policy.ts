import type { Histogram } from 'prom-client';
import { SubgraphUnavailableError } from './subgraph-failure.js';
import type { SubgraphFetchPolicy } from './subgraph-fetch-policy.js';

/**
 * The policy, with each fetch (its retries included) timed into
 * `gateway_subgraph_fetch_duration_seconds{subgraph, outcome}`: `success`, the reason it gave up,
 * or `error` for a failure the policy passes through.
 */
export function timedFetchPolicy(
  policy: SubgraphFetchPolicy,
  duration: Histogram<'subgraph' | 'outcome'>,
): SubgraphFetchPolicy {
  const { subgraph } = policy;
  return {
    subgraph,
    get breakerState() {
      return policy.breakerState;
    },
    async execute(retryable, attempt) {
      const stop = duration.startTimer({ subgraph });
      try {
        const result = await policy.execute(retryable, attempt);
        stop({ outcome: 'success' });
        return result;
      } catch (error) {
        stop({ outcome: error instanceof SubgraphUnavailableError ? error.reason : 'error' });
        throw error;
      }
    },
  };
}
