import pg from 'pg';
import { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { startSubgraphServer, type SubgraphServer } from '@platform/subgraph-server';
import type { NotificationSubgraphConfig } from './config.js';
import { startNotificationConsumer } from './consumer.js';
import type { NotificationContextExtra } from './context.js';
import { createDomain } from './domain/index.js';
import { createLoaders } from './loaders.js';
import { registerNotificationMetrics } from './metrics.js';
import { migrateNotificationDatabase } from './migrate.js';
import { countedDatabase } from '@platform/postgres';
import { createRepositories } from './repositories/index.js';
import { buildNotificationSchema } from './schema.js';

export interface NotificationSubgraph {
  url: string;
  port: number;
  pool: pg.Pool;
  metrics: Registry;
  /** Stops the consumer, then the server (draining requests), then closes the pool. */
  stop(): Promise<void>;
}

export interface NotificationSubgraphOptions {
  /** Run the Kafka consumer in this process (default true). */
  consume?: boolean;
}

/** Migrates the database, serves the subgraph and (unless told not to) consumes events until `stop`. */
export async function startNotificationSubgraph(
  config: NotificationSubgraphConfig,
  logger: Logger,
  options: NotificationSubgraphOptions = {},
): Promise<NotificationSubgraph> {
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL });
  pool.on('error', (error: Error & { code?: string }) =>
    logger.error({ error: error.message, code: error.code }, 'idle PostgreSQL connection failed'),
  );
  let server: SubgraphServer | undefined;
  try {
    await migrateNotificationDatabase(pool, logger);
    const metrics = new Registry();
    const subgraphMetrics = registerNotificationMetrics(metrics);
    const repositories = createRepositories(countedDatabase(pool, subgraphMetrics.sqlQueries));
    const domain = createDomain(repositories);

    const http = await startSubgraphServer<NotificationContextExtra>({
      name: 'notification',
      schema: buildNotificationSchema(),
      port: config.PORT,
      host: config.HOST,
      gatewaySecret: config.GATEWAY_SECRET,
      logger,
      metrics,
      createContext: () => ({ domain, loaders: createLoaders(repositories, subgraphMetrics) }),
      checkReady: async () => {
        await pool.query('SELECT 1');
      },
    });
    server = http;
    const consumer =
      (options.consume ?? true)
        ? await startNotificationConsumer(config, logger, { pool, metrics })
        : undefined;

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await consumer?.stop();
        await http.stop();
        await pool.end();
      })());
    return { url: http.url, port: http.port, pool, metrics, stop };
  } catch (error) {
    await server?.stop();
    await pool.end();
    throw error;
  }
}
