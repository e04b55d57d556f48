export { startUserSubgraph, type UserSubgraph } from './subgraph.js';
export { loadUserConfig, type UserSubgraphConfig } from './config.js';
