export { startDataSubgraph, type DataSubgraph, type DataSubgraphOptions } from './subgraph.js';
export { loadDataConfig, type DataSubgraphConfig } from './config.js';
