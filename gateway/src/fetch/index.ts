export { fetchConfig } from './config.js';
export { SubgraphDataSource } from './data-source.js';
export { createFetchMetrics } from './metrics.js';
export { withSharedOperations } from './shared-operations.js';
