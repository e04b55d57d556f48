export { DEFAULT_FETCH_POLICY, resilienceConfig } from './config.js';
export { isRetryableOperation } from './operation-type.js';
export { SUBGRAPH_UNAVAILABLE, SubgraphUnavailableError } from './subgraph-failure.js';
export { subgraphFetchPolicy, type SubgraphFetchPolicy } from './subgraph-fetch-policy.js';
export { subgraphFetchPolicies } from './subgraph-fetch-policies.js';
export { fetchSubgraphOnce, responseOf, type SubgraphAnswer } from './subgraph-fetch.js';
export type { SubgraphResponse } from './subgraph-response.js';
export { subgraphUnavailableResponse } from './unavailable-response.js';
export { documentCache, queryPlanCache } from './bounded-caches.js';
