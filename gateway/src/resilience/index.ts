export { DEFAULT_FETCH_POLICY, resilienceConfig } from './config.js';
export { isRetryableOperation } from './operation-type.js';
export { SUBGRAPH_UNAVAILABLE, SubgraphUnavailableError } from './subgraph-failure.js';
export { subgraphFetchPolicy, type SubgraphFetchPolicy } from './subgraph-fetch-policy.js';
export { subgraphFetchPolicies } from './subgraph-fetch-policies.js';
export { fetchSubgraphOnce, responseOf, type SubgraphAnswer } from './subgraph-fetch.js';
export type { SubgraphResponse } from './subgraph-response.js';
export { shedFetchResponse, subgraphUnavailableResponse } from './unavailable-response.js';
export {
  ConcurrencyLimitedError,
  concurrencyLimit,
  type ConcurrencyLimit,
} from './concurrency-limit.js';
export {
  CONCURRENCY_LIMIT_EXCEEDED,
  principalFetchLimit,
  type FetchCaller,
  type PrincipalFetchLimit,
} from './principal-fetch-limit.js';
export { FetchFailureTally, fetchFailureLog, type FetchFailureContext } from './failure-tally.js';
export { documentCache, queryPlanCache } from './bounded-caches.js';
