import { z } from 'zod';
import { env, loadConfig, stackEndpoints } from '@platform/config';
import { consumerTimingSettings, kafkaConnectionSettings } from '@platform/events';
import { workerProcessesSettings } from '@platform/subgraph-server';
import { redisSettings } from '@platform/redis';

export function notificationSubgraphConfigSchema(source: NodeJS.ProcessEnv) {
  const stack = stackEndpoints(source);
  return z.object({
    /** The port it serves the gateway on. */
    PORT: env.port(4004),
    /** The interface it listens on (`0.0.0.0` in a container; the image sets it). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** The stack creates the `notifications` database; migrated at start-up. */
    DATABASE_URL: env.url(stack.postgres.url('notifications')),
    /** Where notifications are published, one channel per recipient (@platform/realtime). */
    ...redisSettings(source),
    /** Comma-separated host:port list of the brokers it consumes the events from. */
    KAFKA_BROKERS: env.csv(stack.kafka.brokers.join(',')),
    /** Every instance of this subgraph shares the group, so each event is handled once. */
    KAFKA_GROUP_ID: z.string().min(1).default('notification'),
    /** Most events the consumer stores and publishes together (one commit per batch). */
    CONSUMER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    ...consumerTimingSettings,
    /** TLS and SASL to the brokers (a managed Kafka); unset: plaintext. */
    ...kafkaConnectionSettings,
    /** Shared with the gateway: every request to this subgraph must be signed with it. */
    GATEWAY_SECRET: env.secret(),
    LOG_LEVEL: env.logLevel,
    ...workerProcessesSettings,
  });
}

export type NotificationSubgraphConfig = z.infer<
  ReturnType<typeof notificationSubgraphConfigSchema>
>;

/** The notification subgraph's settings, validated once at start-up; a bad variable stops it. */
export function loadNotificationConfig(
  source: NodeJS.ProcessEnv = process.env,
): NotificationSubgraphConfig {
  return loadConfig(notificationSubgraphConfigSchema(source), source);
}
