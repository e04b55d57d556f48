import { z } from 'zod';
import { env, loadConfig, stackEndpoints } from '@platform/config';
import { kafkaConnectionSettings } from '@platform/events';
import { workerProcessesSettings } from '@platform/subgraph-server';
import { redisSettings } from '@platform/redis';

export function dataConfigSchema(source: NodeJS.ProcessEnv) {
  return z.object({
    PORT: env.port(4002),
    HOST: z.string().min(1).default('127.0.0.1'),
    MONGO_URL: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// connection string')
      .default(stackEndpoints(source).mongo.url),
    MONGO_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, _ or -')
      .default('platform'),
    GATEWAY_SECRET: env.secret(),
    KAFKA_BROKERS: env
      .csv(stackEndpoints(source).kafka.brokers.join(','))
      .refine((brokers) => brokers.length > 0, 'must name at least one host:port'),
    /** TLS and SASL to the brokers (a managed Kafka); unset: plaintext. */
    ...kafkaConnectionSettings,
    /** Where document changes are published for the gateways' `documentChanged`. */
    ...redisSettings(source),
    /** How often the outbox relay looks for events when no write has woken it. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    LOG_LEVEL: env.logLevel,
    ...workerProcessesSettings,
  });
}

export type DataSubgraphConfig = z.infer<ReturnType<typeof dataConfigSchema>>;

/** The data subgraph's settings, validated once at start-up; a bad variable stops the process. */
export function loadDataConfig(source: NodeJS.ProcessEnv = process.env): DataSubgraphConfig {
  return loadConfig(dataConfigSchema(source), source);
}
