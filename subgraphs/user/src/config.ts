import { z } from 'zod';
import { env, loadConfig, stackEndpoints } from '@platform/config';
import { kafkaConnectionSettings } from '@platform/events';
import { workerProcessesSettings } from '@platform/subgraph-server';

export function userSubgraphConfigSchema(source: NodeJS.ProcessEnv) {
  return z.object({
    /** The port it serves the gateway on. */
    PORT: env.port(4001),
    /** The interface it listens on (`0.0.0.0` in a container; the image sets it). */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** PostgreSQL database of users, organizations, API keys, sessions and the outbox. */
    DATABASE_URL: env.url(stackEndpoints(source).postgres.url('platform')),
    /** Signs the access tokens issued at sign-up and login; the gateway verifies them with it. */
    JWT_SECRET: env.secret(),
    /** Access tokens are not revocable, so they stay short-lived; refresh tokens renew them. */
    JWT_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    /** How long a session lives without a refresh (every refresh starts the period again). */
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(30 * 24 * 60 * 60),
    /** Users who sign up or log in with one of these addresses become platform ADMINs. */
    ADMIN_EMAILS: env
      .csv('')
      .pipe(z.array(z.email('ADMIN_EMAILS must be comma-separated email addresses')))
      .transform((emails) => emails.map((email) => email.toLowerCase())),
    /** Shared with the gateway: every request to this subgraph must be signed with it. */
    GATEWAY_SECRET: env.secret(),
    /** Where the outbox relay publishes this subgraph's events (comma-separated host:port). */
    KAFKA_BROKERS: env.csv(stackEndpoints(source).kafka.brokers.join(',')),
    /** TLS and SASL to the brokers (a managed Kafka); unset: plaintext. */
    ...kafkaConnectionSettings,
    /** How often the relay looks for unpublished events when no write has woken it. */
    OUTBOX_POLL_MS: z.coerce.number().int().positive().default(500),
    LOG_LEVEL: env.logLevel,
    ...workerProcessesSettings,
  });
}

export type UserSubgraphConfig = z.infer<ReturnType<typeof userSubgraphConfigSchema>>;

/** The user subgraph's settings, validated once at start-up; a bad variable stops the process. */
export function loadUserConfig(source: NodeJS.ProcessEnv = process.env): UserSubgraphConfig {
  return loadConfig(userSubgraphConfigSchema(source), source);
}
