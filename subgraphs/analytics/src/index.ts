export {
  startAnalyticsSubgraph,
  type AnalyticsSubgraph,
  type AnalyticsSubgraphOptions,
} from './subgraph.js';
export { startAnalyticsConsumer, type AnalyticsConsumerOptions } from './consumer.js';
export { loadAnalyticsConfig, type AnalyticsSubgraphConfig } from './config.js';
