import pg from 'pg';
import { Registry } from 'prom-client';
import {
  consumerTiming,
  createKafka,
  kafkaSecurity,
  ensureEventTopics,
  type EventConsumer,
} from '@platform/events';
import type { Logger } from '@platform/logger';
import { startSubgraphServer } from '@platform/subgraph-server';
import type { AnalyticsSubgraphConfig } from './config.js';
import { startAnalyticsConsumer } from './consumer.js';
import type { AnalyticsContextExtra } from './context.js';
import { createDomain } from './domain/index.js';
import { createLoaders } from './loaders.js';
import { registerAnalyticsMetrics } from './metrics.js';
import { migrateAnalyticsDatabase } from './migrate.js';
import { countedDatabase } from '@platform/postgres';
import { createRepositories } from './repositories/index.js';
import { buildAnalyticsSchema } from './schema.js';

export interface AnalyticsSubgraph {
  url: string;
  port: number;
  pool: pg.Pool;
  metrics: Registry;
  /**
   * Starts (another) consumer of the event topics that rolls up into this subgraph's database,
   * in `groupId` (default KAFKA_GROUP_ID). `stop` stops it too.
   */
  startConsumer(options?: { groupId?: string }): Promise<EventConsumer>;
  /** Stops consuming, stops accepting requests and drains those in flight, then closes the pool. */
  stop(): Promise<void>;
}

export interface AnalyticsSubgraphOptions {
  /** Start consuming the event topics at once (default true). */
  consume?: boolean;
}

/** Migrates the database, makes sure the topics exist, then serves and consumes until `stop`. */
export async function startAnalyticsSubgraph(
  config: AnalyticsSubgraphConfig,
  logger: Logger,
  { consume = true }: AnalyticsSubgraphOptions = {},
): Promise<AnalyticsSubgraph> {
  // Buckets are UTC; the session time zone makes every timestamp PostgreSQL prints UTC as well.
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, options: '-c TimeZone=UTC' });
  pool.on('error', (error: Error & { code?: string }) =>
    logger.error({ error: error.message, code: error.code }, 'idle PostgreSQL connection failed'),
  );
  const consumers = new Set<EventConsumer>();
  const stopConsumers = async () => {
    const running = [...consumers];
    consumers.clear();
    await Promise.all(running.map((consumer) => consumer.stop()));
  };
  try {
    await migrateAnalyticsDatabase(pool, logger);
    const kafka = createKafka(
      'analytics-subgraph',
      config.KAFKA_BROKERS,
      logger,
      kafkaSecurity(config),
    );
    await ensureEventTopics(kafka);

    const metrics = new Registry();
    const analyticsMetrics = registerAnalyticsMetrics(metrics);
    const repositories = createRepositories(countedDatabase(pool, analyticsMetrics.sqlQueries));
    const domain = createDomain(repositories);

    const startConsumer = async ({ groupId = config.KAFKA_GROUP_ID } = {}) => {
      const consumer = await startAnalyticsConsumer({
        kafka,
        groupId,
        pool,
        logger,
        metrics: analyticsMetrics,
        timing: consumerTiming(config),
        registry: metrics,
      });
      const tracked: EventConsumer = {
        consuming: consumer.consuming,
        stop: async () => {
          consumers.delete(tracked);
          await consumer.stop();
        },
      };
      consumers.add(tracked);
      return tracked;
    };
    if (consume) await startConsumer();

    const server = await startSubgraphServer<AnalyticsContextExtra>({
      name: 'analytics',
      schema: buildAnalyticsSchema(),
      port: config.PORT,
      host: config.HOST,
      gatewaySecret: config.GATEWAY_SECRET,
      logger,
      metrics,
      createContext: () => ({ domain, loaders: createLoaders(repositories, analyticsMetrics) }),
      checkReady: async () => {
        await pool.query('SELECT 1');
      },
    });

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await stopConsumers();
        await server.stop();
        await pool.end();
      })());
    return { url: server.url, port: server.port, pool, metrics, startConsumer, stop };
  } catch (error) {
    await stopConsumers().catch(() => undefined);
    await pool.end();
    throw error;
  }
}
