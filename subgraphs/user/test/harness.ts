import { randomUUID } from 'node:crypto';
import { createLogger } from '@platform/logger';
import type { Principal } from '@platform/identity';
import {
  adminPrincipal,
  anonymous,
  createTestDatabase,
  metricValue,
  signedGraphQL,
  userPrincipal,
  type GraphQLResponse,
} from '@platform/testing';
import { loadUserConfig, startUserSubgraph, type UserSubgraphConfig } from '../src/index.js';
import type { UserSubgraph } from '../src/subgraph.js';

export const JWT_SECRET = 'j'.repeat(32);
export const GATEWAY_SECRET = 'g'.repeat(32);

/** A real user subgraph on a fresh database, spoken to over HTTP as the gateway would. */
export interface TestSubgraph {
  subgraph: UserSubgraph;
  config: UserSubgraphConfig;
  /** The subgraph's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  graphql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GraphQLResponse<Data>>;
  /** The current value of a counter on /metrics (0 when it has no sample yet). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Signs up a user through the API and returns its id and a principal for it. */
  signUp(input?: { email?: string; name?: string; password?: string }): Promise<{
    id: string;
    email: string;
    password: string;
    principal: Principal;
  }>;
  /** Makes the user a platform administrator (admins are made in SQL) and returns its principal. */
  makeAdmin(userId: string): Promise<Principal>;
  stop(): Promise<void>;
}

export interface TestSubgraphOptions {
  /** Relay the outbox to Kafka; off by default, so tests that are not about events need no Kafka. */
  publishEvents?: boolean;
  /** More environment for the config, e.g. KAFKA_BROKERS. */
  env?: Record<string, string>;
  /** Serve this existing database, left in place by `stop`; by default a fresh one, dropped. */
  databaseUrl?: string;
}

export async function startTestSubgraph(options: TestSubgraphOptions = {}): Promise<TestSubgraph> {
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await createTestDatabase('user_subgraph');
  const config: UserSubgraphConfig = {
    ...loadUserConfig({
      DATABASE_URL: database.url,
      JWT_SECRET,
      GATEWAY_SECRET,
      JWT_TTL_SECONDS: '600',
      LOG_LEVEL: 'silent',
      ...options.env,
    }),
    PORT: 0,
  };
  let subgraph: UserSubgraph;
  try {
    subgraph = await startUserSubgraph(config, createLogger('user-test', { level: 'silent' }), {
      publishEvents: options.publishEvents ?? false,
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const origin = new URL(subgraph.url).origin;

  const harness: TestSubgraph = {
    subgraph,
    config,
    origin,
    graphql: (query, variables, principal = anonymous) =>
      signedGraphQL(
        { url: subgraph.url, subgraph: 'user', gatewaySecret: GATEWAY_SECRET },
        principal,
        query,
        variables,
      ),
    metric: (name, labels) => metricValue(origin, name, labels),
    async signUp(input = {}) {
      const email = input.email ?? `${randomUUID()}@example.com`;
      const password = input.password ?? 'correct horse battery staple';
      const result = await harness.graphql<{ signUp: { user: { id: string } } }>(
        `mutation ($email: String!, $name: String!, $password: String!) {
          signUp(email: $email, name: $name, password: $password) { user { id } }
        }`,
        { email, name: input.name ?? 'Test User', password },
      );
      const id = result.data?.signUp.user.id;
      if (!id) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
      return { id, email, password, principal: userPrincipal(id) };
    },
    async makeAdmin(userId) {
      await subgraph.pool.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [userId]);
      return adminPrincipal(userId);
    },
    async stop() {
      await subgraph.stop();
      await database.drop();
    },
  };
  return harness;
}
