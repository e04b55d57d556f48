export {
  startNotificationSubgraph,
  type NotificationSubgraph,
  type NotificationSubgraphOptions,
} from './subgraph.js';
export {
  startNotificationConsumer,
  type NotificationConsumer,
  type NotificationConsumerConfig,
  type NotificationConsumerDeps,
} from './consumer.js';
export { loadNotificationConfig, type NotificationSubgraphConfig } from './config.js';
