/**
 * Target (e): Hive Gateway (`@graphql-hive/gateway`'s runtime on `node:http`) on the same
 * supergraph and subgraphs. Like the stock gateway (c), it authenticates nobody and signs every
 * subgraph request with the identity headers of one fixed principal, in an `onFetch` plugin hook
 * (`signedIdentity` below). Deduplication (outbound: identical in-flight subgraph requests; inbound:
 * identical in-flight client operations) and its response cache (in memory, per authorization
 * header) are switched by the variables below. Run as its own process by the benchmark.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  createGatewayRuntime,
  LocalForageCacheStorage,
  type GatewayPlugin,
} from '@graphql-hive/gateway';
import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import {
  ALL_SCOPES,
  encodePrincipal,
  signEncodedIdentity,
  type Principal,
} from '@platform/identity';
import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';

const boolean = z.enum(['true', 'false']).transform((value) => value === 'true');

const config = loadConfig(
  z.object({
    PORT: env.port(4300),
    HOST: z.string().min(1).default('127.0.0.1'),
    SUPERGRAPH_PATH: z.string().min(1),
    GATEWAY_SECRET: env.secret(),
    /** The user every request is signed as. */
    BENCH_USER_ID: z.string().min(1),
    /** Hive's inbound and outbound in-flight request deduplication. */
    HIVE_DEDUPLICATION: boolean.default(false),
    /** Hive's response cache, in memory, one session per authorization header. */
    HIVE_RESPONSE_CACHE: boolean.default(false),
    HIVE_RESPONSE_CACHE_TTL_MS: z.coerce.number().int().positive().default(60_000),
    LOG_LEVEL: env.logLevel,
  }),
);
const logger = createLogger('hive-gateway', { level: config.LOG_LEVEL });

/** The same principal the platform gateway derives from that user's access token. */
const principal: Principal = {
  kind: 'user',
  userId: config.BENCH_USER_ID,
  role: 'USER',
  scopes: [...ALL_SCOPES],
};

const supergraph = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
const identity = encodePrincipal(principal);

/**
 * Signs each subgraph request for its subgraph and its body (packages/identity/README.md).
 * `propagateHeaders.fromClientToSubgraphs` cannot: it is given the client request and the
 * subgraph name, never the body it is about to send. `onFetch` sees the serialized body and the
 * execution request's subgraph name, as Hive's own AWS SigV4 plugin (@graphql-hive/plugin-aws-sigv4)
 * relies on for its body hash.
 */
const signedIdentity: GatewayPlugin = {
  onFetch({ options, setOptions, executionRequest }) {
    const subgraph = executionRequest?.subgraphName;
    const body = options.body;
    if (!subgraph || !(typeof body === 'string' || Buffer.isBuffer(body))) return;
    const signature = signEncodedIdentity(identity, {
      secret: config.GATEWAY_SECRET,
      subgraph,
      body,
    });
    const headers = new Headers(options.headers as HeadersInit | undefined);
    for (const [name, value] of Object.entries(signature)) headers.set(name, value);
    setOptions({ ...options, headers: Object.fromEntries(headers) });
  },
};

/** SUBGRAPH_URL_<NAME> routes subgraph <name> there, as in the platform and stock gateways. */
function transportEntries() {
  const names = [...supergraph.matchAll(/@join__graph\(name: "([^"]+)"/g)].map(
    (match) => match[1]!,
  );
  return Object.fromEntries(
    names.map((name) => {
      const location = process.env[`SUBGRAPH_URL_${name.toUpperCase()}`];
      return [
        name,
        {
          ...(location ? { location } : {}),
          options: { deduplicateInflightRequests: config.HIVE_DEDUPLICATION },
        },
      ];
    }),
  );
}

const gateway = createGatewayRuntime({
  supergraph,
  transportEntries: transportEntries(),
  plugins: () => [signedIdentity],
  inboundInflightRequestDeduplication: config.HIVE_DEDUPLICATION,
  ...(config.HIVE_RESPONSE_CACHE
    ? {
        // Hive's cache storage for the response cache; where no browser storage exists (Node), it
        // is its in-memory LRU cache.
        cache: new LocalForageCacheStorage(),
        responseCaching: {
          session: (request: Request) => request.headers.get('authorization'),
          ttl: config.HIVE_RESPONSE_CACHE_TTL_MS,
        },
      }
    : {}),
  logging: config.LOG_LEVEL === 'silent' || config.LOG_LEVEL === 'fatal' ? 'error' : 'warn',
  landingPage: false,
  graphiql: false,
});

const server = createServer(gateway);
await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
logger.info(
  {
    port: config.PORT,
    deduplication: config.HIVE_DEDUPLICATION,
    responseCache: config.HIVE_RESPONSE_CACHE,
  },
  'hive gateway listening',
);
runUntilSignalled(logger, async () => {
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
  await gateway.dispose();
});
