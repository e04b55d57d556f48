import pg from 'pg';
import { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { startSubgraphServer } from '@platform/subgraph-server';
import { mountApiKeyVerification } from './api-key-verification-route.js';
import type { UserSubgraphConfig } from './config.js';
import type { UserContextExtra } from './context.js';
import { createDomain } from './domain/index.js';
import { createLoaders } from './loaders.js';
import { registerUserSubgraphMetrics } from './metrics.js';
import { migrateUserDatabase } from './migrate.js';
import { countedDatabase } from './repositories/database.js';
import { createRepositories } from './repositories/index.js';
import { buildUserSchema } from './schema.js';

export interface UserSubgraph {
  url: string;
  port: number;
  pool: pg.Pool;
  metrics: Registry;
  /** Stops accepting requests, drains the ones in flight, then closes the pool. */
  stop(): Promise<void>;
}

/** Migrates the database, then serves the user subgraph until `stop`. */
export async function startUserSubgraph(
  config: UserSubgraphConfig,
  logger: Logger,
): Promise<UserSubgraph> {
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL });
  pool.on('error', (error: Error & { code?: string }) =>
    logger.error({ error: error.message, code: error.code }, 'idle PostgreSQL connection failed'),
  );
  try {
    await migrateUserDatabase(pool, logger);
    const metrics = new Registry();
    const subgraphMetrics = registerUserSubgraphMetrics(metrics);
    const repositories = createRepositories(countedDatabase(pool, subgraphMetrics.sqlQueries));
    const domain = createDomain(repositories, {
      secret: config.JWT_SECRET,
      ttlSeconds: config.JWT_TTL_SECONDS,
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
        await pool.end();
      })());
    return { url: server.url, port: server.port, pool, metrics, stop };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
