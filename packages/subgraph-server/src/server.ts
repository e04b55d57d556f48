import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ErrorCode, errorResponseBody } from '@platform/errors';
import type { Principal } from '@platform/identity';
import { REQUEST_ID_HEADER, requestLogger, type Logger } from '@platform/logger';
import { entityTagsPlugin } from './entity-tags.js';
import { formatSubgraphError } from './format-error.js';
import { gatewaySignatureGuard } from './gateway-signature-guard.js';
import { nulCharacterGuard } from './nul-characters.js';
import type { RequestContext } from './request-context.js';

export interface SubgraphServerOptions<Extra extends object> {
  /** The subgraph's name in the supergraph; gateway signatures are bound to it. */
  name: string;
  schema: GraphQLSchema;
  port: number;
  host?: string;
  /** Shared with the gateway; every request must be signed with it. */
  gatewaySecret: string;
  logger: Logger;
  /**
   * Prometheus registry served on /metrics; the subgraph registers its own metrics on it, the
   * server Node's default process metrics.
   */
  metrics?: Registry;
  /** Per-request additions to the context (DataLoaders, repositories). */
  createContext: (base: RequestContext) => Extra | Promise<Extra>;
  /** Resolves when the subgraph's stores answer; /health/ready reports it. */
  checkReady?: () => Promise<void>;
  /**
   * Extra routes (for example internal endpoints); `requireGateway` refuses unsigned requests and
   * leaves the parsed JSON body in `req.body` (no `express.json()` after it: it has read the body).
   */
  mountRoutes?: (app: Express, requireGateway: RequestHandler) => void;
}

export interface SubgraphServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

const MAX_BODY = '1mb';

/**
 * A resolver error carrying `extensions.http.status` (401, 403) would make Apollo answer with that
 * status, and the gateway's RemoteGraphQLDataSource turns any non-2xx subgraph answer into a bare
 * "401: Unauthorized", dropping the error codes and the partial data. Once execution has started
 * the answer is a GraphQL result, so it stays 200; refusals before GraphQL (signature, bad JSON)
 * keep their status.
 */
const executionErrorsAt200: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind === 'single' && 'data' in response.body.singleResult) {
          response.http.status = 200;
        }
      },
    };
  },
};

/** The one way a subgraph serves HTTP: health, metrics, and GraphQL behind the gateway's signature. */
export async function startSubgraphServer<Extra extends object>(
  options: SubgraphServerOptions<Extra>,
): Promise<SubgraphServer> {
  const { logger, schema, gatewaySecret } = options;
  const metrics = options.metrics ?? new Registry();
  // Node's process metrics (CPU, memory, event loop lag, GC), once per registry.
  if (!metrics.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ register: metrics });
  }
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<RequestContext & Extra>({
    // runUntilSignalled owns SIGTERM/SIGINT. Apollo's own handlers (on unless NODE_ENV=test) would
    // stop the server and re-send the signal, which the process takes for a second Ctrl-C and exits
    // with 1 before its drain, Kafka leave and store closes are done.
    stopOnTerminationSignals: false,
    schema,
    logger,
    formatError: formatSubgraphError(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Inline traces feed Apollo's hosted Studio, which this platform does not use.
      ApolloServerPluginInlineTraceDisabled(),
      executionErrorsAt200,
      // No string argument may hold NUL: the stores refuse it (BAD_USER_INPUT, not a 500).
      nulCharacterGuard,
      // Which entities each answer holds, for the gateway's response cache invalidation.
      entityTagsPlugin(schema),
    ],
  });
  await apollo.start();

  const requireGateway = gatewaySignatureGuard({
    subgraph: options.name,
    secret: gatewaySecret,
    logger,
    maxBody: MAX_BODY,
  });

  // The pid tells the node:cluster workers of one port apart (WORKER_PROCESSES).
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', pid: process.pid });
  });
  app.get('/health/ready', async (_req, res) => {
    try {
      await options.checkReady?.();
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: String(error) });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  options.mountRoutes?.(app, requireGateway);
  app.use(
    '/graphql',
    // It reads, verifies and parses the body: the signature covers its exact bytes.
    requireGateway,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const principal = res.locals.principal as Principal;
        // The id is made here, so it is not parsed back out of the child logger's bindings.
        const requestId = req.header(REQUEST_ID_HEADER) || randomUUID();
        const base: RequestContext = {
          principal,
          requestId,
          logger: requestLogger(logger, requestId),
        };
        return { ...base, ...(await options.createContext(base)) };
      },
    }),
  );
  app.use(jsonErrors(logger));

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  logger.info({ url }, `${options.name} subgraph listening`);

  return { url, port, stop: () => apollo.stop() };
}

/** Body-parser and other middleware errors as GraphQL-shaped JSON, never an HTML 500 page. */
function jsonErrors(logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = error.status ?? 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    const code =
      status === 413
        ? ErrorCode.PayloadTooLarge
        : status < 500
          ? ErrorCode.BadRequest
          : ErrorCode.InternalServerError;
    const message = status < 500 ? String((error as Error).message) : 'Internal server error';
    res.status(status).json(errorResponseBody(code, message));
  };
}
