import path from 'node:path';
import { freePort } from '@platform/testing';
import { repoRoot } from './paths.js';
import { answersGet, startService, type ServiceProcess } from './processes.js';
import type { BenchSecrets } from './secrets.js';
import type { BenchStores } from './stores.js';

export const SUBGRAPH_NAMES = ['user', 'data', 'analytics', 'notification'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface RunningSubgraphs {
  /** GraphQL endpoints by subgraph name. */
  urls: Record<SubgraphName, string>;
  processes: ServiceProcess[];
  stop: () => Promise<void>;
}

/** Each subgraph's variables pointing it at the run's own stores. */
function storeEnv(
  name: SubgraphName,
  stores: BenchStores,
  postgresUrl: (database: string) => string,
): Record<string, string> {
  switch (name) {
    case 'user':
      return {
        DATABASE_URL: postgresUrl(stores.postgres.user),
        // A run's users sign up once and load the platform with that token for longer than the
        // default 15 minutes; the bench measures serving, not session renewal.
        JWT_TTL_SECONDS: String(24 * 60 * 60),
      };
    case 'data':
      return { MONGO_DATABASE: stores.mongoDatabase };
    case 'analytics':
      return {
        DATABASE_URL: postgresUrl(stores.postgres.analytics),
        KAFKA_GROUP_ID: stores.kafkaGroups.analytics,
      };
    case 'notification':
      return {
        DATABASE_URL: postgresUrl(stores.postgres.notification),
        KAFKA_GROUP_ID: stores.kafkaGroups.notification,
      };
  }
}

/**
 * The four subgraphs as child processes (as `npm start` runs them), on free ports, against the
 * run's stores. They serve every target, so the targets differ only in what is in front of them.
 */
export async function startSubgraphs(options: {
  stores: BenchStores;
  secrets: BenchSecrets;
  postgresUrl: (database: string) => string;
  logDir: string;
}): Promise<RunningSubgraphs> {
  const started = await Promise.allSettled(
    SUBGRAPH_NAMES.map(async (name) =>
      startService({
        name: `${name}-subgraph`,
        cwd: path.join(repoRoot, 'subgraphs', name),
        entry: 'src/main.ts',
        port: await freePort(),
        env: {
          ...options.secrets,
          ...storeEnv(name, options.stores, options.postgresUrl),
          LOG_LEVEL: 'warn',
        },
        isReady: answersGet('/health/ready'),
        logDir: options.logDir,
        readyTimeoutMs: 120_000,
      }),
    ),
  );
  const processes = started.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value] : [],
  );
  const stop = async () => {
    await Promise.all(processes.map((service) => service.stop()));
  };
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name, index) => [name, `${processes[index]!.baseUrl}/graphql`]),
  ) as Record<SubgraphName, string>;
  return { urls, processes, stop };
}
