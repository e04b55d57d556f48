import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { stackEndpoints } from '@platform/config';

export { stackEndpoints };

/** A name no other test run uses: tests share one stack, so every test owns its own names. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * Creates a fresh PostgreSQL database on the stack for one test file and returns its URL and a
 * function that drops it. Tests never share tables with each other or with a running platform.
 */
export async function createTestDatabase(
  prefix = 'test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const endpoints = stackEndpoints();
  const name = uniqueName(prefix).toLowerCase();
  const admin = new pg.Client({ connectionString: endpoints.postgres.url('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: endpoints.postgres.url(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: endpoints.postgres.url('postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A pool on a test database. A connection that is still closing when the test drops its database
 * (`DROP DATABASE ... WITH (FORCE)`) is terminated by the server (57P01); that is the test's own
 * doing, so it is ignored instead of surfacing as an unhandled pool error. Any other pool error
 * still fails the test.
 */
export function testPool(url: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, ...options });
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== ADMIN_SHUTDOWN) throw error;
  });
  return pool;
}

/** PostgreSQL's code for a connection terminated by pg_terminate_backend or a forced drop. */
const ADMIN_SHUTDOWN = '57P01';

export {
  freePort,
  startPrivateKafka,
  startPrivateRedis,
  type PrivateService,
} from './private-services.js';
export {
  createTestTopic,
  recordTopicFromNow,
  type TestTopic,
  type TopicRecorder,
} from './kafka-topics.js';
export { metricValue } from './metrics.js';
export { declaredMetrics, parsePrometheusText, sumOf, type Sample } from './prometheus-text.js';
export { metricsCatalog, PLATFORM_PROCESSES, type CatalogMetric } from './metrics-catalog.js';
export { signedGraphQL, type SignedSubgraph } from './signed-graphql.js';
export {
  dataOf,
  errorCodes,
  postGraphQL,
  type GraphQLErrorBody,
  type GraphQLResponse,
  type GraphQLResult,
} from './graphql-response.js';
export { adminPrincipal, anonymous, userPrincipal, type UserPrincipal } from './principals.js';
export { eventually, type EventuallyOptions } from './eventually.js';
export { redisSubscriberCount } from './redis-channels.js';
export {
  REDIS_MODES_UNDER_TEST,
  startPrivateRedisCluster,
  startRedisUnderTest,
  type PrivateRedisCluster,
  type RedisUnderTest,
} from './redis-cluster.js';
export { recordingLogger, type LogRecord } from './recording-logger.js';
export {
  indexOnlyPlan,
  planScans,
  readsBetween,
  sequentiallyScanned,
  statementsScanningSequentially,
  statementsSentDuring,
  tableReads,
  type PlanScan,
  type RecordedStatement,
  type TableReads,
} from './postgres-reads.js';
export {
  startTestIdentityProvider,
  type AsymmetricAlgorithm,
  type SignOptions,
  type TestIdentityProvider,
} from './identity-provider.js';
export { makeTestCertificates, type TestCertificates } from './test-certificates.js';
export { recordingTracer, type RecordingTracer } from './tracing.js';
export { startOtlpCollector, type CollectedSpan, type OtlpCollector } from './otlp-collector.js';
