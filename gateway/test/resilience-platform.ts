/**
 * Two real subgraphs for the resilience tests, each behind a switch the test controls: it counts
 * the GraphQL requests that reach the subgraph, can answer the next ones (or all) with an HTTP
 * error instead, and can stop the subgraph and start it again on the same port, so the composed
 * routing URL stays valid and the gateway has to recover on its own.
 *
 *   accounts: User { id name }, Query { me, slow }, Mutation { rename }
 *   reviews:  User { reviewCount } (an entity field), Query { topReview }
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { RequestHandler } from 'express';
import { parse } from 'graphql';
import type { Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import {
  startSubgraphServer,
  type SubgraphServer,
  type SubgraphServerOptions,
} from '@platform/subgraph-server';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../src/index.js';
import { GATEWAY_SECRET, JWT_SECRET, composeSupergraph } from './test-platform.js';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;

const ACCOUNTS_SDL = `${FEDERATION}
type User @key(fields: "id") {
  id: ID!
  name: String!
}
type Query {
  me: User
  "Answers after the subgraph's slowMs."
  slow: String
}
type Mutation {
  rename(name: String!): String!
}`;

const REVIEWS_SDL = `${FEDERATION}
type User @key(fields: "id") {
  id: ID!
  reviewCount: Int
}
type Query {
  topReview: String
}`;

const quiet = createLogger('resilience-subgraph', { level: 'silent' });

/** One test subgraph and the switch in front of its /graphql. */
export class SwitchedSubgraph {
  /** GraphQL requests that reached the subgraph (refused ones included). */
  calls = 0;
  /** How long `slow` takes. */
  slowMs = 0;
  private failures: { status: number; remaining: number } | undefined;
  private server: SubgraphServer | undefined;
  private port = 0;

  constructor(private readonly options: Omit<SubgraphServerOptions<object>, 'port'>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  /** Starts the subgraph (unless it runs): on a free port first, on the same port after a stop. */
  async start(): Promise<void> {
    if (this.server) return;
    this.server = await startSubgraphServer({
      ...this.options,
      port: this.port,
      mountRoutes: (app) => app.use('/graphql', this.switch),
    });
    this.port = this.server.port;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  /** Answers the next `count` requests (every one: Infinity) with `status`, as a sick subgraph. */
  failNext(count: number, status = 503): void {
    this.failures = { status, remaining: count };
  }

  /** Answers normally again, forgets its call count. */
  heal(): void {
    this.failures = undefined;
    this.calls = 0;
  }

  private readonly switch: RequestHandler = (req, res, next) => {
    if (req.method !== 'POST') return next();
    this.calls += 1;
    if (!this.failures || this.failures.remaining <= 0) return next();
    this.failures.remaining -= 1;
    res.status(this.failures.status).json({ errors: [{ message: 'temporarily unavailable' }] });
  };
}

export interface ResiliencePlatform {
  accounts: SwitchedSubgraph;
  reviews: SwitchedSubgraph;
  /** Calls of the `rename` mutation's resolver. */
  renames: () => number;
  supergraphPath: string;
  /** A gateway over both subgraphs with these variables (SUBGRAPH_TIMEOUT_MS, ...) set. */
  startGateway: (variables: Record<string, string>) => Promise<RunningGateway>;
  stop: () => Promise<void>;
}

/** A resolver's sleep that does not keep jest running after the gateway gave up on it. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export async function startResiliencePlatform(): Promise<ResiliencePlatform> {
  let renames = 0;
  const accounts: SwitchedSubgraph = new SwitchedSubgraph({
    name: 'accounts',
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(ACCOUNTS_SDL),
        resolvers: {
          Query: {
            me: (_: unknown, __: unknown, { principal }: { principal: Principal }) =>
              principal.kind === 'anonymous' ? null : { id: principal.userId, name: 'Ada' },
            slow: async () => {
              await sleep(accounts.slowMs);
              return 'finally';
            },
          },
          Mutation: {
            rename: (_: unknown, { name }: { name: string }) => {
              renames += 1;
              return name;
            },
          },
        },
      },
    ]),
    createContext: () => ({}),
  });
  const reviews = new SwitchedSubgraph({
    name: 'reviews',
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(REVIEWS_SDL),
        resolvers: {
          Query: { topReview: () => 'five stars' },
          User: { reviewCount: () => 3 },
        },
      },
    ]),
    createContext: () => ({}),
  });
  await Promise.all([accounts.start(), reviews.start()]);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-resilience-'));
  const supergraphSdl = await composeSupergraph(dir, [
    { name: 'accounts', url: accounts.url, sdl: ACCOUNTS_SDL },
    { name: 'reviews', url: reviews.url, sdl: REVIEWS_SDL },
  ]);
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  await writeFile(supergraphPath, supergraphSdl);

  const gateways: RunningGateway[] = [];
  return {
    accounts,
    reviews,
    renames: () => renames,
    supergraphPath,
    startGateway: async (variables) => {
      const config = loadGatewayConfig({
        JWT_SECRET,
        GATEWAY_SECRET,
        SUPERGRAPH_PATH: supergraphPath,
        ...variables,
      });
      const gateway = await startGateway(
        { ...config, PORT: 0 },
        createLogger('resilience-gateway', { level: process.env.LOG_TESTS ? 'info' : 'silent' }),
        { consumeCacheEvents: false },
      );
      gateways.push(gateway);
      return gateway;
    },
    stop: async () => {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await Promise.all([accounts.stop(), reviews.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
