export {
  DEFAULT_FETCH_POLICY,
  fetchPolicyOptions,
  resilienceSettings,
  type FetchPolicySettings,
  type ResilienceSettings,
} from './config.js';
export { isRetryableOperation, subgraphOperationType } from './operation-type.js';
export {
  SUBGRAPH_UNAVAILABLE,
  SubgraphAttemptError,
  SubgraphUnavailableError,
  type SubgraphFailureReason,
} from './subgraph-failure.js';
export {
  subgraphFetchPolicy,
  type BreakerState,
  type SubgraphFetchObserver,
  type SubgraphFetchPolicy,
  type SubgraphFetchPolicyOptions,
} from './subgraph-fetch-policy.js';
export { subgraphFetchPolicies, type SubgraphFetchPolicies } from './subgraph-fetch-policies.js';
export { fetchSubgraphOnce } from './subgraph-fetch.js';
export { missingFieldPaths, subgraphUnavailableResponse } from './unavailable-response.js';
export { BoundedLruCache, documentCache, queryPlanCache } from './bounded-caches.js';
