import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import {
  consumerTiming,
  createKafka,
  kafkaSecurity,
  ensureEventTopics,
  startEventConsumer,
  type ConsumerTimingSettings,
  type KafkaConnectionSettings,
} from '@platform/events';
import type { Logger } from '@platform/logger';
import { checkRedisAccess, createRedisConnection, redisTarget } from '@platform/redis';
import type { NotificationSubgraphConfig } from './config.js';
import { notificationDelivery } from './domain/delivery.js';
import { registerNotificationMetrics } from './metrics.js';
import { redisNotificationPublisher } from './realtime-publisher.js';
import { countedDatabase } from '@platform/postgres';
import { createRepositories } from './repositories/index.js';

export type NotificationConsumerConfig = Pick<
  NotificationSubgraphConfig,
  | 'KAFKA_BROKERS'
  | 'KAFKA_GROUP_ID'
  | 'REDIS_URL'
  | 'REDIS_MODE'
  | 'REDIS_TLS_CA_FILE'
  | 'CONSUMER_BATCH_SIZE'
  | keyof ConsumerTimingSettings
  | keyof KafkaConnectionSettings
>;

export interface NotificationConsumerDeps {
  /** The subgraph's pool (migrated); the consumer does not close it. */
  pool: pg.Pool;
  /** The subgraph's registry: the consumer counts on the same counters. */
  metrics: Registry;
  /** A Kafka client to reuse; one is made from KAFKA_BROKERS otherwise. */
  kafka?: Kafka;
  /** The topics to consume (default: every event topic); the consumer benchmark uses its own. */
  topics?: string[];
}

export interface NotificationConsumer {
  /** Leaves the consumer group (after the batch in hand) and closes its Redis connection. */
  stop(): Promise<void>;
}

/**
 * Consumes every event topic in group KAFKA_GROUP_ID, up to CONSUMER_BATCH_SIZE events at a time:
 * stores the batch's notifications, then publishes them on Redis; the offsets are committed only
 * after both (see domain/delivery.ts).
 * Startable and stoppable on its own, so a test can kill and restart just the consumer.
 */
export async function startNotificationConsumer(
  config: NotificationConsumerConfig,
  logger: Logger,
  deps: NotificationConsumerDeps,
): Promise<NotificationConsumer> {
  const log = logger.child({ component: 'notification-consumer' });
  const kafka =
    deps.kafka ??
    createKafka('notification-subgraph', config.KAFKA_BROKERS, log, kafkaSecurity(config));
  await ensureEventTopics(kafka);

  // Refused credentials stop the start here; a Redis that is away is retried per publish.
  const redisAt = redisTarget(config);
  await checkRedisAccess(redisAt, { logger: log });
  const redis = createRedisConnection(redisAt, {
    connectionName: 'notification-publisher',
    maxRetriesPerRequest: 3,
  });
  redis.on('error', (error: Error) => log.warn({ error: error.message }, 'Redis connection error'));
  const metrics = registerNotificationMetrics(deps.metrics);
  const repositories = createRepositories(countedDatabase(deps.pool, metrics.sqlQueries));
  const delivery = notificationDelivery({
    notifications: repositories.notifications,
    publisher: redisNotificationPublisher(redis),
    metrics,
    logger: log,
  });

  try {
    const consumer = await startEventConsumer({
      kafka,
      groupId: config.KAFKA_GROUP_ID,
      logger: log,
      topics: deps.topics,
      maxBatchSize: config.CONSUMER_BATCH_SIZE,
      handleBatch: delivery.handleBatch,
      timing: consumerTiming(config),
      metrics: deps.metrics,
    });
    log.info({ groupId: config.KAFKA_GROUP_ID }, 'notification consumer started');
    let stopped: Promise<void> | undefined;
    return {
      stop: () =>
        (stopped ??= (async () => {
          await consumer.stop();
          await redis.quit();
        })()),
    };
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}
