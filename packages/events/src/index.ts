export * from './catalog.js';
export * from './envelope.js';
export * from './topics.js';
export { createKafka } from './kafka-client.js';
export {
  kafkaConnectionSettings,
  kafkaSecurity,
  SASL_MECHANISMS,
  type KafkaConnectionSettings,
  type KafkaSecurity,
} from './kafka-connection.js';
export { ensureEventTopics } from './topics-admin.js';
export {
  startEventConsumer,
  type EachEventOptions,
  type EventBatchContext,
  type EventBatchOptions,
  type EventConsumer,
  type EventConsumerOptions,
} from './event-consumer.js';
export {
  consumerTiming,
  consumerTimingSettings,
  DEFAULT_CONSUMER_TIMING,
  type ConsumerTiming,
  type ConsumerTimingSettings,
} from './consumer-timing.js';
export {
  startOutboxRelay,
  type OutboxBacklog,
  type OutboxRelay,
  type OutboxStore,
} from './outbox-relay.js';
export { startEventPublishing, type EventPublishing } from './event-publishing.js';
export { eventTraceContext } from './trace-context.js';
