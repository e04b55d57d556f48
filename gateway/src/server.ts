import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { API_KEY_VERIFICATION_PATH } from '@platform/identity';
import type { Logger } from '@platform/logger';
import { apiKeyVerifier } from './api-key-verifier.js';
import { authenticator } from './authenticate.js';
import { authorizeOperation } from './authorize-operation.js';
import { jsonBody, jsonErrorResponses } from './body-parsing.js';
import type { GatewayConfig } from './config.js';
import { logUnexpectedErrors, maskUnexpectedErrors } from './format-error.js';
import type { GatewayContext } from './gateway-context.js';
import { mountHealthRoutes } from './health-routes.js';
import { createGatewayMetrics } from './metrics.js';
import { assignRequestId, requestScope } from './request-id.js';
import { countGraphQLErrors, measureRequests } from './request-metrics.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { subgraphRouter } from './subgraph-routing.js';
import { readSupergraphFacts, type SupergraphFacts } from './supergraph-facts.js';
import { supergraphFromFile } from './supergraph-file.js';

/** The subgraph that owns API keys and answers API_KEY_VERIFICATION_PATH. */
const USER_SUBGRAPH = 'user';

export interface GatewayOptions {
  /** Routing URLs by subgraph name, over the supergraph's and SUBGRAPH_URL_<NAME> (for tests). */
  subgraphUrls?: Record<string, string>;
}

export interface RunningGateway {
  /** The GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  port: number;
  /** The server /graphql listens on, for protocols that share it (graphql-ws). */
  httpServer: http.Server;
  /** Stops accepting, drains in-flight requests, stops watching the supergraph. */
  stop: () => Promise<void>;
}

/**
 * The gateway, one request's path in order:
 *   request id -> metrics and access log -> JSON body (size-limited) -> authenticate (context)
 *   -> parse, validate (Apollo) -> authorize the operation -> query plan -> signed subgraph fetches
 *   -> errors formatted (unexpected ones masked) -> response.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const metrics = createGatewayMetrics();
  const routeTo = subgraphRouter({ ...config.SUBGRAPH_URLS, ...options.subgraphUrls });

  // The supergraph: read from SUPERGRAPH_PATH and swapped live whenever the file changes.
  let supergraph: SupergraphFacts | undefined;
  const currentSupergraph = (): SupergraphFacts => {
    if (!supergraph) throw new Error('no supergraph is loaded yet');
    return supergraph;
  };
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile({ path: config.SUPERGRAPH_PATH, logger }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        subgraph: name,
        url: routeTo(name, url ?? ''),
        gatewaySecret: config.GATEWAY_SECRET,
        requests: metrics.subgraphRequests,
      }),
    logger: logger.child({ component: 'apollo-gateway' }),
  });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    supergraph = readSupergraphFacts(coreSupergraphSdl);
  });

  const authenticate = authenticator({
    jwtSecret: config.JWT_SECRET,
    verifyApiKey: apiKeyVerifier({
      verificationUrl: () => {
        const composedUrl = currentSupergraph().routingUrls.get(USER_SUBGRAPH);
        if (!composedUrl) throw new Error(`the supergraph has no "${USER_SUBGRAPH}" subgraph`);
        return new URL(API_KEY_VERIFICATION_PATH, routeTo(USER_SUBGRAPH, composedUrl)).href;
      },
      gatewaySecret: config.GATEWAY_SECRET,
      cacheSeconds: config.API_KEY_CACHE_SECONDS,
      logger,
    }),
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: maskUnexpectedErrors,
    includeStacktraceInErrorResponses: false,
    logger: logger.child({ component: 'apollo-server' }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      authorizeOperation(() => currentSupergraph().publicRootFields),
      countGraphQLErrors(metrics),
      logUnexpectedErrors(logger),
    ],
  });
  await apollo.start();

  let stopping = false;
  mountHealthRoutes(app, {
    isReady: () => supergraph !== undefined && !stopping,
    metrics: metrics.registry,
  });
  app.use(
    '/graphql',
    assignRequestId(logger),
    measureRequests(metrics, logger),
    jsonBody(config.MAX_BODY_BYTES),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GatewayContext> => {
        const scope = requestScope(res)!; // assignRequestId ran first on this route
        const principal = await authenticate({ headers: req.headers, requestId: scope.requestId });
        return { principal, ...scope };
      },
    }),
  );
  app.use(jsonErrorResponses(logger));

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, resolve);
    });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');

  return {
    url,
    port,
    httpServer,
    stop: async () => {
      stopping = true;
      await apollo.stop();
    },
  };
}
