import { z } from 'zod';
import { env, loadConfig, stackEndpoints } from '@platform/config';
import { consumerTimingSettings, kafkaConnectionSettings } from '@platform/events';
import { workerProcessesSettings } from '@platform/subgraph-server';

export function analyticsConfigSchema(source: NodeJS.ProcessEnv) {
  const stack = stackEndpoints(source);
  return z.object({
    /** The port it serves the gateway on. */
    PORT: env.port(4003),
    /** The interface it listens on (`0.0.0.0` in a container; the image sets it). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** PostgreSQL database of the rollups (migrated at start-up). */
    DATABASE_URL: env.url(stack.postgres.url('analytics')),
    /** Comma-separated host:port list. */
    KAFKA_BROKERS: env
      .csv(stack.kafka.brokers.join(','))
      .refine((brokers) => brokers.length > 0, 'must name at least one broker'),
    /** Every instance of the subgraph shares this group, so each event is rolled up once. */
    KAFKA_GROUP_ID: z.string().min(1).default('analytics'),
    ...consumerTimingSettings,
    /** TLS and SASL to the brokers (a managed Kafka); unset: plaintext. */
    ...kafkaConnectionSettings,
    /** Shared with the gateway: every request to this subgraph must be signed with it. */
    GATEWAY_SECRET: env.secret(),
    LOG_LEVEL: env.logLevel,
    ...workerProcessesSettings,
  });
}

export type AnalyticsSubgraphConfig = z.infer<ReturnType<typeof analyticsConfigSchema>>;

/** The analytics subgraph's settings, validated once at start-up; a bad variable stops the process. */
export function loadAnalyticsConfig(
  source: NodeJS.ProcessEnv = process.env,
): AnalyticsSubgraphConfig {
  return loadConfig(analyticsConfigSchema(source), source);
}
