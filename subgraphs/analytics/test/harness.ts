import { isDeepStrictEqual } from 'node:util';
import type { Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import {
  anonymous,
  createTestDatabase,
  eventually,
  metricValue,
  signedGraphQL,
  uniqueName,
  type GraphQLResponse,
} from '@platform/testing';
import {
  loadAnalyticsConfig,
  startAnalyticsSubgraph,
  type AnalyticsSubgraph,
  type AnalyticsSubgraphConfig,
} from '../src/index.js';

/** Shared by the tests and the subgraph they start, as the gateway and the subgraph share it. */
export const GATEWAY_SECRET = 'analytics-subgraph-test-secret-0123456789';

export const testLogger = createLogger('analytics-test', { level: 'silent' });

/** A real analytics subgraph on a fresh database, spoken to over HTTP as the gateway would. */
export interface TestAnalytics {
  subgraph: AnalyticsSubgraph;
  config: AnalyticsSubgraphConfig;
  /** The subgraph's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  graphql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GraphQLResponse<Data>>;
  /** The current value of a counter on /metrics (0 when it has no sample yet). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Stops the subgraph (and its consumers) and drops its database. */
  stop(): Promise<void>;
}

/**
 * Starts the subgraph on a database no other test file uses, consuming (unless `consume` is
 * false) in a consumer group of its own, so it reads every event topic from the beginning.
 */
export async function startTestAnalytics({ consume = true } = {}): Promise<TestAnalytics> {
  const database = await createTestDatabase('analytics');
  const config: AnalyticsSubgraphConfig = {
    ...loadAnalyticsConfig({
      DATABASE_URL: database.url,
      GATEWAY_SECRET,
      KAFKA_GROUP_ID: uniqueName('analytics-test'),
      LOG_LEVEL: 'silent',
    }),
    PORT: 0,
  };
  let subgraph: AnalyticsSubgraph;
  try {
    subgraph = await startAnalyticsSubgraph(config, testLogger, { consume });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const origin = new URL(subgraph.url).origin;

  return {
    subgraph,
    config,
    origin,
    graphql: (query, variables, principal = anonymous) =>
      signedGraphQL(
        { url: subgraph.url, subgraph: 'analytics', gatewaySecret: GATEWAY_SECRET },
        principal,
        query,
        variables,
      ),
    metric: (name, labels) => metricValue(origin, name, labels),
    async stop() {
      await subgraph.stop().finally(() => database.drop());
    },
  };
}

/** Kafka consumer groups take a while to join on a busy machine: waits on the rollups are long. */
export const ROLLUP_TIMEOUT_MS = 45_000;

/**
 * Polls `read` until it returns `expected` (equal as JSON: responses are parsed in another realm,
 * so their prototypes differ from the test's); on timeout says what it last saw.
 */
export async function eventuallyEqual<T>(
  read: () => Promise<T>,
  expected: T,
  timeoutMs = ROLLUP_TIMEOUT_MS,
): Promise<T> {
  let last: T | undefined;
  try {
    return await eventually(
      async () => {
        last = await read();
        return isDeepStrictEqual(asJson(last), asJson(expected)) ? last : undefined;
      },
      { timeoutMs },
    );
  } catch {
    throw new Error(
      `timed out waiting for ${JSON.stringify(expected)}; last saw ${JSON.stringify(last)}`,
    );
  }
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));
