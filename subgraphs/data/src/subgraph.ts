import { MongoClient, type Db } from 'mongodb';
import { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { startSubgraphServer } from '@platform/subgraph-server';
import type { DataSubgraphConfig } from './config.js';
import { dataContextFactory } from './context.js';
import { registerDataMetrics } from './metrics.js';
import { createRepositories, dataCollections, ensureIndexes } from './repositories/index.js';
import { dataSchema } from './schema.js';

export interface DataSubgraph {
  url: string;
  port: number;
  db: Db;
  metrics: Registry;
  /** Stops accepting requests, drains those in flight, then closes the MongoDB connection. */
  stop(): Promise<void>;
}

/** Connects to MongoDB, makes sure the indexes exist and serves the data subgraph. */
export async function startDataSubgraph(
  config: DataSubgraphConfig,
  logger: Logger,
): Promise<DataSubgraph> {
  const client = new MongoClient(config.MONGO_URL, { appName: 'data-subgraph' });
  await client.connect();
  try {
    const db = client.db(config.MONGO_DATABASE);
    const collections = dataCollections(db);
    await ensureIndexes(collections);

    const metrics = new Registry();
    const dataMetrics = registerDataMetrics(metrics);
    const repositories = createRepositories(collections, dataMetrics.storeQueries);

    const server = await startSubgraphServer({
      name: 'data',
      schema: dataSchema(),
      port: config.PORT,
      host: config.HOST,
      gatewaySecret: config.GATEWAY_SECRET,
      logger,
      metrics,
      createContext: dataContextFactory(repositories, dataMetrics),
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
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}
