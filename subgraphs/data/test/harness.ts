import { signIdentity, type Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { stackEndpoints, uniqueName, type GraphQLResponse } from '@platform/testing';
import { loadDataConfig, startDataSubgraph, type DataSubgraph } from '../src/index.js';

/** Shared by the tests and the subgraph they start, as the gateway and the subgraph share it. */
export const GATEWAY_SECRET = 'data-subgraph-test-secret-0123456789abcdef';

export type Variables = Record<string, unknown>;

/** Sends operations to the subgraph over HTTP, signed as the gateway would for one principal. */
export interface Caller {
  principal: Principal;
  request<Data = Record<string, unknown>>(
    query: string,
    variables?: Variables,
  ): Promise<GraphQLResponse<Data>>;
}

export interface TestSubgraph {
  subgraph: DataSubgraph;
  /** The MongoDB database it serves; pass it as `database` to start another instance on it. */
  database: string;
  as(principal: Principal): Caller;
  /** Stops the subgraph, and drops its database unless it was given one. */
  close(): Promise<void>;
}

export interface TestSubgraphOptions {
  /** Publish events to Kafka (default false: most tests need only MongoDB). */
  publishEvents?: boolean;
  /** Serve this existing database instead of a fresh one (and leave it in place on close). */
  database?: string;
  /** More environment for the subgraph's config, such as KAFKA_BROKERS. */
  env?: Record<string, string>;
}

/** The data subgraph on a free port, over a MongoDB database no other test file uses. */
export async function startTestSubgraph(
  prefix: string,
  { publishEvents = false, database, env = {} }: TestSubgraphOptions = {},
): Promise<TestSubgraph> {
  const config = loadDataConfig({
    GATEWAY_SECRET,
    MONGO_URL: stackEndpoints().mongo.url,
    MONGO_DATABASE: database ?? uniqueName(prefix),
    LOG_LEVEL: 'silent',
    OUTBOX_POLL_MS: '50',
    ...env,
  });
  const logger = createLogger('data-subgraph-test', { level: config.LOG_LEVEL });
  const subgraph = await startDataSubgraph({ ...config, PORT: 0 }, logger, { publishEvents });
  return {
    subgraph,
    database: config.MONGO_DATABASE,
    as: (principal) => ({
      principal,
      request: (query, variables) => post(subgraph.url, signedAs(principal), query, variables),
    }),
    async close() {
      if (database !== undefined) return subgraph.stop();
      await subgraph.db.dropDatabase().finally(() => subgraph.stop());
    },
  };
}

/** The headers of one request body: signed ones, or none at all. */
export type Signer = (body: string) => Record<string, string>;

/** Signs a body for the data subgraph as `principal`, with `secret` (the gateway's by default). */
export const signedAs =
  (principal: Principal, secret = GATEWAY_SECRET): Signer =>
  (body) =>
    signIdentity(principal, { secret, subgraph: 'data', body });

export const unsigned: Signer = () => ({});

export async function post<Data>(
  url: string,
  sign: Signer,
  query: string,
  variables: Variables = {},
): Promise<GraphQLResponse<Data>> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sign(body) },
    body,
  });
  const answer = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
  return { status: response.status, ...answer };
}
