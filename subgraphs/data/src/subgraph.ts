import { MongoClient, type Db } from 'mongodb';
import { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { kafkaSecurity, startEventPublishing, type EventPublishing } from '@platform/events';
import { startSubgraphServer } from '@platform/subgraph-server';
import { checkRedisAccess, createRedisConnection, redisTarget } from '@platform/redis';
import type { DataSubgraphConfig } from './config.js';
import type { DataContextExtra } from './context.js';
import { createDomain } from './domain/index.js';
import { reconcileStaleIntents } from './domain/outbox-reconciler.js';
import { documentChangePublisher } from './live-publisher.js';
import { createLoaders } from './loaders.js';
import { registerDataMetrics } from './metrics.js';
import {
  createRepositories,
  dataCollections,
  ensureIndexes,
  migrateMemberArrays,
  outboxStore,
} from './repositories/index.js';
import { buildDataSchema } from './schema.js';

export interface DataSubgraph {
  url: string;
  port: number;
  db: Db;
  metrics: Registry;
  /** Stops accepting requests, drains those in flight, stops the relay, closes MongoDB. */
  stop(): Promise<void>;
}

export interface DataSubgraphOptions {
  /**
   * Whether this instance publishes the outbox to Kafka (default true). Without it, changes still
   * record their events, which wait for an instance that publishes.
   */
  publishEvents?: boolean;
}

/** Connects to MongoDB, makes sure the indexes exist, publishes the outbox and serves. */
export async function startDataSubgraph(
  config: DataSubgraphConfig,
  logger: Logger,
  { publishEvents = true }: DataSubgraphOptions = {},
): Promise<DataSubgraph> {
  // Refused Redis credentials stop the start; a Redis that is away does not (see below).
  const redisAt = redisTarget(config);
  await checkRedisAccess(redisAt, { logger });
  const client = new MongoClient(config.MONGO_URL, { appName: 'data-subgraph' });
  await client.connect();
  // Connects in the background and reconnects; a publish while Redis is away fails after a few
  // retries (logged; subscribers catch up with since), and never holds up a mutation.
  const redis = createRedisConnection(redisAt, {
    connectionName: 'data-publisher',
    maxRetriesPerRequest: 3,
  });
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'Redis publisher connection'));
  let relay: EventPublishing | undefined;
  try {
    const db = client.db(config.MONGO_DATABASE);
    const collections = dataCollections(db);
    await ensureIndexes(collections);

    const metrics = new Registry();
    const dataMetrics = registerDataMetrics(metrics);
    const repositories = createRepositories(collections, dataMetrics.storeQueries);
    const migrated = await migrateMemberArrays(
      collections,
      repositories.projectMembers,
      repositories.projectVersions,
    );
    if (migrated > 0) logger.info({ projects: migrated }, 'moved member arrays to project_members');
    if (publishEvents) {
      relay = startEventPublishing({
        clientId: 'data-subgraph',
        brokers: config.KAFKA_BROKERS,
        security: kafkaSecurity(config),
        pollIntervalMs: config.OUTBOX_POLL_MS,
        store: outboxStore(repositories.outbox, {
          reconcile: (now) => reconcileStaleIntents(repositories, now, logger),
          logger,
        }),
        logger,
        metrics,
      });
    }
    const eventRelay = relay;
    const domain = createDomain(repositories, {
      onEventEnqueued: () => eventRelay?.poke(),
      onDocumentChanged: documentChangePublisher(redis, logger),
    });

    const server = await startSubgraphServer<DataContextExtra>({
      name: 'data',
      schema: buildDataSchema(),
      port: config.PORT,
      host: config.HOST,
      gatewaySecret: config.GATEWAY_SECRET,
      logger,
      metrics,
      createContext: () => ({ domain, loaders: createLoaders(repositories, dataMetrics) }),
      checkReady: async () => {
        await db.command({ ping: 1 });
      },
    });

    return {
      url: server.url,
      port: server.port,
      db,
      metrics,
      async stop() {
        await server.stop();
        await eventRelay?.stop();
        await client.close();
        redis.disconnect();
      },
    };
  } catch (error) {
    await relay?.stop();
    await client.close();
    redis.disconnect();
    throw error;
  }
}
