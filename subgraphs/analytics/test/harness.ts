import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Principal, Scope, UserRole } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { createTestDatabase, uniqueName, metricValue, signedGraphQL } from '@platform/testing';
import {
  loadAnalyticsConfig,
  startAnalyticsSubgraph,
  type AnalyticsSubgraph,
  type AnalyticsSubgraphConfig,
} from '../src/index.js';

/** Shared by the tests and the subgraph they start, as the gateway and the subgraph share it. */
export const GATEWAY_SECRET = 'analytics-subgraph-test-secret-0123456789';

export const testLogger = createLogger('analytics-test', { level: 'silent' });

export interface GraphQLResponse<Data> {
  status: number;
  data?: Data | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export const anonymous: Principal = { kind: 'anonymous' };

export function userPrincipal(
  userId: string = randomUUID(),
  role: UserRole = 'USER',
  scopes: Scope[] = ['read', 'write'],
): Principal & { userId: string } {
  return { kind: 'user', userId, role, scopes };
}

export const adminPrincipal = () => userPrincipal(randomUUID(), 'ADMIN');

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
      signedGraphQL(subgraph.url, GATEWAY_SECRET, principal, query, variables),
    metric: (name, labels) => metricValue(origin, name, labels),
    async stop() {
      await subgraph.stop().finally(() => database.drop());
    },
  };
}

/** The `extensions.code` of each error, for compact assertions. */
export function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/**
 * Polls `read` until it returns something other than undefined; fails after `timeoutMs` with
 * the last value seen, so a count that never arrives says what it was instead.
 */
export async function eventually<T>(
  read: () => Promise<T | undefined>,
  { timeoutMs = 45_000, what = 'a condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Polls `read` until it returns `expected` (equal as JSON: responses are parsed in another realm,
 * so their prototypes differ from the test's); on timeout says what it last saw.
 */
export async function eventuallyEqual<T>(
  read: () => Promise<T>,
  expected: T,
  timeoutMs = 45_000,
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
