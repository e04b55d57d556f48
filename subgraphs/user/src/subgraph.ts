import pg from 'pg';
import { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { kafkaSecurity, startEventPublishing, type EventPublishing } from '@platform/events';
import { startSubgraphServer } from '@platform/subgraph-server';
import { mountApiKeyVerification } from './api-key-verification-route.js';
import type { UserSubgraphConfig } from './config.js';
import type { UserContextExtra } from './context.js';
import { createDomain } from './domain/index.js';
import { outboxStore } from './repositories/outbox.js';
import { createLoaders } from './loaders.js';
import { registerUserMetrics } from './metrics.js';
import { migrateUserDatabase } from './migrate.js';
import { countedDatabase, poolDatabase } from '@platform/postgres';
import { createRepositories } from './repositories/index.js';
import { buildUserSchema } from './schema.js';

export interface UserSubgraph {
  url: string;
  port: number;
  pool: pg.Pool;
  metrics: Registry;
  /**
   * Stops accepting requests, drains the ones in flight, stops the outbox relay (unpublished
   * events stay in the outbox), then closes the pool.
   */
  stop(): Promise<void>;
}

export interface UserSubgraphOptions {
  /**
   * Relay the outbox to Kafka (default true). When false, mutations still record their events
   * in the outbox; they are published by the next instance that relays.
   */
  publishEvents?: boolean;
}

/**
 * Migrates the database, then serves the user subgraph until `stop`. Start-up does not wait for
 * Kafka: events are committed to the outbox and relayed whenever Kafka is reachable.
 */
export async function startUserSubgraph(
  config: UserSubgraphConfig,
  logger: Logger,
  options: UserSubgraphOptions = {},
): Promise<UserSubgraph> {
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL });
  pool.on('error', (error: Error & { code?: string }) =>
    logger.error({ error: error.message, code: error.code }, 'idle PostgreSQL connection failed'),
  );
  let events: EventPublishing | undefined;
  try {
    await migrateUserDatabase(pool, logger);
    const metrics = new Registry();
    const subgraphMetrics = registerUserMetrics(metrics);
    if (options.publishEvents ?? true) {
      events = startEventPublishing({
        clientId: 'user-subgraph',
        // The relay's polls are not counted in user_sql_queries_total, which counts what requests cause.
        store: outboxStore(poolDatabase(pool)),
        brokers: config.KAFKA_BROKERS,
        security: kafkaSecurity(config),
        pollIntervalMs: config.OUTBOX_POLL_MS,
        logger,
        metrics,
      });
    }
    const repositories = createRepositories(countedDatabase(pool, subgraphMetrics.sqlQueries), {
      onEventsCommitted: () => events?.poke(),
    });
    const domain = createDomain(repositories, {
      secret: config.JWT_SECRET,
      ttlSeconds: config.JWT_TTL_SECONDS,
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      adminEmails: config.ADMIN_EMAILS,
    });

    const server = await startSubgraphServer<UserContextExtra>({
      name: 'user',
      schema: buildUserSchema(),
      port: config.PORT,
      host: config.HOST,
      gatewaySecret: config.GATEWAY_SECRET,
      logger,
      metrics,
      createContext: () => ({ domain, loaders: createLoaders(repositories, subgraphMetrics) }),
      checkReady: async () => {
        await pool.query('SELECT 1');
      },
      mountRoutes: (app, requireGateway) =>
        mountApiKeyVerification(app, requireGateway, domain.apiKeys),
    });

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await server.stop();
        await events?.stop();
        await pool.end();
      })());
    return { url: server.url, port: server.port, pool, metrics, stop };
  } catch (error) {
    await events?.stop();
    await pool.end();
    throw error;
  }
}
