/**
 * Two real subgraphs that count what reaches them, for the tests of what the gateway sends less:
 *
 *   docs:   Document { id title author }, Query { documents(count, authors) }, Mutation { touch }
 *   people: User { id name } (the authors, resolved as entities), Query { whoami }
 *
 * Each resolver can be slowed (`delayMs`) so identical requests are in flight at the same time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { startSubgraphServer, type SubgraphServer } from '@platform/subgraph-server';
import { stackEndpoints } from '@platform/testing';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../../src/index.js';
import { GATEWAY_SECRET, JWT_SECRET, composeSupergraph } from '../test-platform.js';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;

export const DOCS_SDL = `${FEDERATION}
type Document @key(fields: "id") {
  id: ID!
  title: String!
  author: User!
}
type User @key(fields: "id", resolvable: false) {
  id: ID!
}
type Query {
  "count documents, written in turn by authors users (u0, u1, ...)."
  documents(count: Int!, authors: Int!): [Document!]!
}
type Mutation {
  touch: String!
}`;

export const PEOPLE_SDL = `${FEDERATION}
type User @key(fields: "id") {
  id: ID!
  name: String!
}
type Query {
  whoami: String!
}`;

/** What the two subgraphs saw. */
export interface Observed {
  /** `documents` resolver calls. */
  documentLists: number;
  /** `touch` mutation calls. */
  touches: number;
  /** Per request to people: the ids of the User representations it resolved. */
  userLookups: string[][];
  /** `whoami` resolver calls. */
  whoamis: number;
}

export interface SharingPlatform {
  observed: Observed;
  /** How long every resolver waits before answering. */
  delayMs: number;
  supergraphPath: string;
  docs: SubgraphServer;
  people: SubgraphServer;
  /** A gateway over both subgraphs with these variables set. */
  startGateway: (variables?: Record<string, string>) => Promise<RunningGateway>;
  stop: () => Promise<void>;
}

const quiet = createLogger('sharing-subgraph', { level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export async function startSharingPlatform(): Promise<SharingPlatform> {
  const observed: Observed = { documentLists: 0, touches: 0, userLookups: [], whoamis: 0 };
  const platform = { delayMs: 0 };

  const docs = await startSubgraphServer({
    name: 'docs',
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(DOCS_SDL),
        resolvers: {
          Query: {
            documents: async (
              _: unknown,
              { count, authors }: { count: number; authors: number },
            ) => {
              observed.documentLists += 1;
              await sleep(platform.delayMs);
              return Array.from({ length: count }, (__, index) => ({
                id: `d${index}`,
                title: `Document ${index}`,
                author: { __typename: 'User', id: `u${index % authors}` },
              }));
            },
          },
          Mutation: {
            touch: async () => {
              observed.touches += 1;
              await sleep(platform.delayMs);
              return 'touched';
            },
          },
        },
      },
    ]),
    createContext: () => ({}),
  });

  const people = await startSubgraphServer({
    name: 'people',
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(PEOPLE_SDL),
        resolvers: {
          Query: {
            whoami: async (_: unknown, __: unknown, { principal }: { principal: Principal }) => {
              observed.whoamis += 1;
              await sleep(platform.delayMs);
              return principal.kind === 'anonymous' ? 'nobody' : principal.userId;
            },
          },
          User: {
            __resolveReference: ({ id }: { id: string }, { lookups }: { lookups: string[] }) => {
              lookups.push(id);
              return { id, name: `Author ${id}` };
            },
          },
        },
      },
    ]),
    // One list per request: the representations that request carried.
    createContext: () => {
      const lookups: string[] = [];
      observed.userLookups.push(lookups);
      return { lookups };
    },
  });

  const dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-sharing-'));
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  await writeFile(
    supergraphPath,
    await composeSupergraph(dir, [
      { name: 'docs', url: docs.url, sdl: DOCS_SDL },
      { name: 'people', url: people.url, sdl: PEOPLE_SDL },
    ]),
  );

  const gateways: RunningGateway[] = [];
  return {
    observed,
    get delayMs() {
      return platform.delayMs;
    },
    set delayMs(ms: number) {
      platform.delayMs = ms;
    },
    supergraphPath,
    docs,
    people,
    startGateway: async (variables = {}) => {
      const config = loadGatewayConfig({
        JWT_SECRET,
        GATEWAY_SECRET,
        SUPERGRAPH_PATH: supergraphPath,
        REDIS_URL: stackEndpoints().redis.url,
        ANONYMOUS_ACCESS: 'all',
        ...variables,
      });
      const gateway = await startGateway(
        { ...config, PORT: 0 },
        createLogger('sharing-gateway', { level: process.env.LOG_TESTS ? 'info' : 'silent' }),
        { consumeCacheEvents: false },
      );
      gateways.push(gateway);
      return gateway;
    },
    stop: async () => {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await Promise.all([docs.stop(), people.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
