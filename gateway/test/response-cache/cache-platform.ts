/**
 * A small real platform for the response cache tests: two subgraphs with cache hints served by
 * startSubgraphServer (real HTTP on port 0, behind the gateway signature), a supergraph composed
 * from them with @platform/composer, and a caching gateway wired the way the gateway's server
 * wires it (startGatewayResponseCache: ApolloGateway wrapped by taggingGateway, the response cache
 * plugin, persisted queries in Redis), over real Redis with a key prefix of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { redisTargetOf, type RedisConnection, type RedisTarget } from '@platform/redis';
import { Registry } from 'prom-client';
import {
  IDENTITY_HEADER,
  encodePrincipal,
  signEncodedIdentity,
  verifyAccessToken,
  type Principal,
} from '@platform/identity';
import { createLogger } from '@platform/logger';
import { ENTITY_TAGS_REQUEST_HEADER, startSubgraphServer } from '@platform/subgraph-server';
import {
  anonymous,
  recordingLogger,
  stackEndpoints,
  uniqueName,
  userPrincipal,
} from '@platform/testing';
import { recordFetchOfOperation } from '../../src/response-cache/entity-tags/fetch-tags.js';
import { startGatewayResponseCache, type CallerContext } from '../../src/response-cache/start.js';
import { connectRedis } from '../../src/redis/connection.js';
import type { ResponseCacheStore } from '../../src/response-cache/store.js';
import { serveApollo } from '../serve-apollo.js';
import { bearer, composeSupergraph } from '../test-platform.js';

const GATEWAY_SECRET = 'cache-test-gateway-secret-'.padEnd(40, 'g');
const JWT_SECRET = 'cache-test-jwt-secret-'.padEnd(40, 'j');

const HINTS = `
directive @cacheControl(
  maxAge: Int
  scope: CacheControlScope
  inheritMaxAge: Boolean
) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
enum CacheControlScope @inaccessible {
  PUBLIC
  PRIVATE
}`;

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@inaccessible"])`;

/** Documents and projects, visible to the project's members only: every hint is PRIVATE. */
const DOCS_SDL = `${FEDERATION}
${HINTS}
type Project @key(fields: "id") @cacheControl(maxAge: 60, scope: PRIVATE) {
  id: ID!
  name: String!
}
type Document @key(fields: "id") @cacheControl(maxAge: 60, scope: PRIVATE) {
  id: ID!
  title: String!
  project: Project!
  "The caller this subgraph served the document to."
  viewer: String!
}
union Subject = Document | Project
type Query {
  document(id: ID!): Document
  documents(projectId: ID!): [Document!]! @cacheControl(maxAge: 60, scope: PRIVATE)
  subject(id: ID!): Subject @cacheControl(maxAge: 60, scope: PRIVATE)
  failing: Document
  announcement: String! @cacheControl(maxAge: 60, scope: PUBLIC)
  clock: Int! @cacheControl(maxAge: 0)
}
type Mutation {
  renameDocument(id: ID!, title: String!): Document!
  deleteDocument(id: ID!): ID!
}`;

/** Counters served by a second subgraph with a shorter maxAge. */
const STATS_SDL = `${FEDERATION}
${HINTS}
type Document @key(fields: "id") @cacheControl(maxAge: 30, scope: PRIVATE) {
  id: ID!
  views: Int!
}`;

export interface DocumentRecord {
  id: string;
  title: string;
  projectId: string;
}

/** The subgraphs' state: tests change it directly to play another writer. */
export interface SubgraphState {
  documents: Map<string, DocumentRecord>;
  /** Project id -> the user ids who may see it. */
  members: Map<string, Set<string>>;
  /** GraphQL requests each subgraph served. */
  calls: { docs: number; stats: number };
}

export interface TestSubgraphs {
  state: SubgraphState;
  supergraphSdl: string;
  stop: () => Promise<void>;
}

const quiet = createLogger('cache-test-subgraph', { level: 'silent' });

type SubgraphContext = { principal: Principal };

export async function startTestSubgraphs(): Promise<TestSubgraphs> {
  const state: SubgraphState = {
    documents: new Map(),
    members: new Map(),
    calls: { docs: 0, stats: 0 },
  };
  const visible = (document: DocumentRecord | undefined, principal: Principal) =>
    document &&
    principal.kind !== 'anonymous' &&
    state.members.get(document.projectId)?.has(principal.userId)
      ? document
      : null;
  const caller = (principal: Principal) =>
    principal.kind === 'anonymous' ? 'anonymous' : principal.userId;

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
            document: (_: unknown, { id }: { id: string }, { principal }: SubgraphContext) =>
              visible(state.documents.get(id), principal),
            documents: (_: unknown, args: { projectId: string }, { principal }: SubgraphContext) =>
              [...state.documents.values()].filter(
                (document) => document.projectId === args.projectId && visible(document, principal),
              ),
            subject: (_: unknown, { id }: { id: string }, { principal }: SubgraphContext) =>
              visible(state.documents.get(id), principal),
            failing: () => {
              throw new GraphQLError('the store failed', { extensions: { code: 'UNAVAILABLE' } });
            },
            announcement: () => 'hello everyone',
            clock: () => state.calls.docs,
          },
          Mutation: {
            renameDocument: (_: unknown, args: { id: string; title: string }) => {
              const document = state.documents.get(args.id);
              if (!document) throw new GraphQLError('no such document');
              document.title = args.title;
              return document;
            },
            deleteDocument: (_: unknown, { id }: { id: string }) => {
              state.documents.delete(id);
              return id;
            },
          },
          Subject: { __resolveType: () => 'Document' },
          Document: {
            __resolveReference: ({ id }: { id: string }) => state.documents.get(id) ?? null,
            project: (document: DocumentRecord) => ({ id: document.projectId }),
            viewer: (_: DocumentRecord, __: unknown, { principal }: SubgraphContext) =>
              caller(principal),
          },
          Project: {
            __resolveReference: ({ id }: { id: string }) => ({ id }),
            name: ({ id }: { id: string }) => `Project ${id}`,
          },
        },
      },
    ]),
    createContext: () => {
      state.calls.docs += 1;
      return {};
    },
  });

  const stats = await startSubgraphServer({
    name: 'stats',
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(STATS_SDL),
        resolvers: {
          Document: {
            __resolveReference: ({ id }: { id: string }) => ({ id }),
            views: () => 7,
          },
        },
      },
    ]),
    createContext: () => {
      state.calls.stats += 1;
      return {};
    },
  });

  const dir = await mkdtemp(path.join(os.tmpdir(), 'response-cache-test-'));
  try {
    return {
      state,
      supergraphSdl: await composeSupergraph(dir, [
        { name: 'docs', url: docs.url, sdl: DOCS_SDL },
        { name: 'stats', url: stats.url, sdl: STATS_SDL },
      ]),
      stop: async () => {
        await Promise.all([docs.stop(), stats.stop()]);
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Signs the caller into every subgraph request, as the gateway's SubgraphDataSource does. */
class SignedDataSource extends RemoteGraphQLDataSource<CallerContext> {
  constructor(
    private readonly subgraph: string,
    url: string | undefined,
  ) {
    super({ url });
    // The signature covers the body, which only the fetcher sees: willSendRequest puts the
    // caller's identity on the request, the fetcher signs it with the body.
    const send = this.fetcher;
    this.fetcher = (fetchUrl, init) => {
      const headers = { ...init?.headers };
      const identity = headers[IDENTITY_HEADER] ?? encodePrincipal(anonymous);
      const body = init?.body;
      Object.assign(
        headers,
        signEncodedIdentity(identity, { secret: GATEWAY_SECRET, subgraph, body }),
      );
      return send(fetchUrl, { ...init, headers });
    };
  }

  /** Records each fetch's entity tags, as the gateway's SubgraphDataSource does. */
  override async process(
    options: GraphQLDataSourceProcessOptions<CallerContext>,
  ): ReturnType<RemoteGraphQLDataSource<CallerContext>['process']> {
    const response = await super.process(options);
    recordFetchOfOperation(options, this.subgraph, response);
    return response;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<CallerContext>): void {
    const principal: Principal =
      'incomingRequestContext' in options ? options.context.principal : anonymous;
    options.request.http?.headers.set(IDENTITY_HEADER, encodePrincipal(principal));
    options.request.http?.headers.set(ENTITY_TAGS_REQUEST_HEADER, '1');
  }
}

export interface CachingGateway {
  url: string;
  keyPrefix: string;
  store: ResponseCacheStore;
  registry: Registry;
  /** The messages logged so far at warn and above. */
  warnings: () => string[];
  stop: () => Promise<void>;
}

export interface CachingGatewayOptions {
  /** Defaults to the stack's Redis. */
  redisUrl?: string;
  /** Defaults to a unique one, so no other test shares its entries. */
  keyPrefix?: string;
}

/** A Redis connection of the cache's own kind, to the stack's Redis, once it is ready. */
export async function connectTestRedis(
  target: RedisTarget = redisTargetOf(stackEndpoints().redis.url),
): Promise<RedisConnection> {
  const redis = connectRedis(target, 'response-cache', {
    logger: quiet,
    commandTimeoutMs: TEST_REDIS_TIMEOUT_MS,
  });
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

/** Generous: a slow test machine must not turn a hit into a bypass. */
const TEST_REDIS_TIMEOUT_MS = 2000;

/**
 * The gateway with its cache assembled by startGatewayResponseCache, as the gateway's server
 * does; it answers once Redis does, unless Redis is unreachable (`redisUrl` to a closed port).
 */
export async function startCachingGateway(
  supergraphSdl: string,
  options: CachingGatewayOptions = {},
): Promise<CachingGateway> {
  const { logger, records } = recordingLogger('cache-test-gateway');
  const keyPrefix = options.keyPrefix ?? `${uniqueName('cache-test')}:`;
  const registry = new Registry();
  const redisTimeoutMs = options.redisUrl ? 50 : TEST_REDIS_TIMEOUT_MS;
  const redisUrl = options.redisUrl ?? stackEndpoints().redis.url;
  const redis = connectRedis(redisTargetOf(redisUrl), 'response-cache', {
    logger,
    commandTimeoutMs: redisTimeoutMs,
  });
  const cache = startGatewayResponseCache({
    config: {
      enabled: true,
      untagged: 'skip',
      // Apollo Server alone here: no Express fast path, no local tier (no subscriber is given).
      fastPath: false,
      localMaxBytes: undefined,
      redisTimeoutMs,
      apqTtlSeconds: 300,
      kafkaBrokers: stackEndpoints().kafka.brokers,
    },
    redis,
    registry,
    logger,
    consumeEvents: false,
    keyPrefix,
  });
  if (!options.redisUrl) await cache.redisReady;

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SignedDataSource(name, url),
    logger: quiet,
  });
  const apollo = new ApolloServer<CallerContext>({
    gateway,
    logger: quiet,
    plugins: [cache.plugin],
    persistedQueries: cache.persistedQueries,
  });
  const served = await serveApollo(apollo, async ({ req }): Promise<CallerContext> => ({
    principal: await principalOf(req.headers.authorization),
  }));

  return {
    url: served.url,
    keyPrefix,
    store: cache.store,
    registry,
    warnings: () =>
      records
        .filter((record) => record.level === 'warn' || record.level === 'error')
        .map((record) => record.message),
    stop: async () => {
      await served.stop();
      await cache.stop();
      redis.disconnect();
    },
  };
}

async function principalOf(authorization: string | undefined): Promise<Principal> {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return anonymous;
  const { userId, role } = await verifyAccessToken(token, JWT_SECRET);
  return userPrincipal(userId, { role });
}

/** The authorization header of a USER signed in to the caching gateway. */
export const as = (userId: string) => bearer(userId, 300, JWT_SECRET);

/** The value of one of the response cache counters (`gateway_response_cache_*`) for a label. */
export async function counted(
  registry: Registry,
  name:
    | 'gateway_response_cache_total'
    | 'gateway_response_cache_invalidations_total'
    | 'gateway_response_cache_local_total',
  label: string,
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.values(value.labels).includes(label))?.value ?? 0;
}
