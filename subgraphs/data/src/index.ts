export { startDataSubgraph, type DataSubgraph } from './subgraph.js';
export { loadDataConfig, type DataSubgraphConfig } from './config.js';
