/**
 * Target (c): stock `@apollo/gateway` + `@apollo/server` on the same supergraph and subgraphs,
 * with no plugins, served by `startStandaloneServer`. Its one addition is what the subgraphs
 * demand of any caller: the signed identity headers, here always those of one fixed principal
 * (there is no authentication at this gateway), signed per request for the subgraph and the body
 * (packages/identity/README.md). Run as its own process by the benchmark.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
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

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

const config = loadConfig(
  z.object({
    PORT: env.port(4100),
    HOST: z.string().min(1).default('127.0.0.1'),
    SUPERGRAPH_PATH: z.string().min(1),
    GATEWAY_SECRET: env.secret(),
    /** The user every request is signed as. */
    BENCH_USER_ID: z.string().min(1),
    LOG_LEVEL: env.logLevel,
  }),
);
const logger = createLogger('stock-gateway', { level: config.LOG_LEVEL });

/** The same principal the platform gateway derives from that user's access token. */
const principal: Principal = {
  kind: 'user',
  userId: config.BENCH_USER_ID,
  role: 'USER',
  scopes: [...ALL_SCOPES],
};

/** SUBGRAPH_URL_<NAME> routes subgraph <name> (lower case) there, as in the platform gateway. */
function routingUrl(name: string, composedUrl: string | undefined): string {
  const url = process.env[`${SUBGRAPH_URL_PREFIX}${name.toUpperCase()}`] ?? composedUrl;
  if (!url) throw new Error(`no routing URL for subgraph ${name}`);
  return url;
}

const identity = encodePrincipal(principal);

/**
 * The signature covers the body, which RemoteGraphQLDataSource serializes after willSendRequest:
 * only its fetcher sees the bytes that are sent, so that is where each request is signed.
 */
class SignedIdentityDataSource extends RemoteGraphQLDataSource {
  constructor(subgraph: string, url: string) {
    super({ url });
    const send = this.fetcher;
    this.fetcher = (fetchUrl, init) =>
      send(fetchUrl, {
        ...init,
        headers: {
          ...init?.headers,
          ...signEncodedIdentity(identity, {
            secret: config.GATEWAY_SECRET,
            subgraph,
            body: init?.body,
          }),
        },
      });
  }
}

const server = new ApolloServer({
  gateway: new ApolloGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => new SignedIdentityDataSource(name, routingUrl(name, url)),
  }),
});
const { url } = await startStandaloneServer(server, {
  listen: { port: config.PORT, host: config.HOST },
});
logger.info({ url }, 'stock gateway listening');
runUntilSignalled(logger, () => server.stop());
