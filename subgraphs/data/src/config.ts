import { z } from 'zod';
import { env, loadConfig, stackEndpoints } from '@platform/config';
import { kafkaConnectionSettings } from '@platform/events';
import { workerProcessesSettings } from '@platform/subgraph-server';
import { redisSettings } from '@platform/redis';

export function dataConfigSchema(source: NodeJS.ProcessEnv) {
  return z.object({
    /** The port it serves the gateway on. */
    PORT: env.port(4002),
    /** The interface it listens on (`0.0.0.0` in a container; the image sets it). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** MongoDB (or a MongoDB-wire server) of projects, members and documents. */
    MONGO_URL: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// connection string')
      .default(stackEndpoints(source).mongo.url),
    /** The database in it. */
    MONGO_DATABASE: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, _ or -')
      .default('platform'),
    /** Verifies the gateway's signature on every request (the gateway's GATEWAY_SECRET). */
    GATEWAY_SECRET: env.secret(),
    /** Comma-separated host:port list of the brokers the outbox relay produces to. */
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
