import type http from 'node:http';
import { GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import { ErrorCode, platformError } from '@platform/errors';
import type { AuthenticatedPrincipal } from '@platform/identity';
import { requestLogger, type Logger } from '@platform/logger';
import type { Authenticate } from '../auth/authenticate.js';
import { authenticateConnection } from './connection-auth.js';
import type { PreparedSubscription, SubscriptionSource, SubscriptionStream } from './source.js';
import { readSubscriptionRequest } from './subscription-request.js';
import { SocketOutbox, type SocketOutboxLimits } from './socket-outbox.js';
import type { SubscriptionStartHook } from './start-hook.js';
import { createSubscriptionMetrics } from './metrics.js';

export interface SubscriptionServerOptions {
  /** The gateway's HTTP server: graphql-ws is served on its upgrades to `path`. */
  httpServer: http.Server;
  path: string;
  /** The same authentication as HTTP requests. */
  authenticate: Authenticate;
  /** The API schema served right now (it follows the supergraph); undefined before one loads. */
  apiSchema: () => GraphQLSchema | undefined;
  /** One per Subscription root field served (`notifications/source.ts`: notificationAdded). */
  sources: readonly SubscriptionSource[];
  /** Server ping every this many ms; a socket that misses the pong is terminated. */
  keepAliveMs: number;
  limits: SocketOutboxLimits;
  onStart: SubscriptionStartHook;
  registry: Registry;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Subscriptions being served. */
  activeCount(): number;
  /** Upstream channels the sources hold open (Redis channels). */
  channelCount(): number;
  /** Closes every socket (1001) and the sources. */
  stop(): Promise<void>;
}

/** What a socket carries once authenticated. */
interface Connection {
  principal: AuthenticatedPrincipal;
  outbox: SocketOutbox;
  logger: Logger;
}

/** The context `onSubscribe` hands to `subscribe`. */
interface SubscriptionContext {
  connection: Connection;
  subscription: PreparedSubscription;
}

/** Sockets that do not finish their close handshake in this time are cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Subscriptions over graphql-ws (graphql-transport-ws) on the gateway's own HTTP server and path.
 * @apollo/gateway does not execute subscriptions, so the gateway serves them itself:
 * connect (authenticate) -> subscribe (validate against the API schema, pick the source of the
 * root field, start hook, count) -> the source's stream -> bounded delivery (the socket outbox).
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { authenticate, apiSchema, sources, limits, onStart, logger } = options;
  const log = logger.child({ component: 'subscriptions' });
  const sourceByField = new Map(sources.map((source) => [source.field, source]));
  const fields = [...sourceByField.keys()];
  const streams = new Set<SubscriptionStream>();
  const channelCount = () => sources.reduce((sum, source) => sum + source.channelCount(), 0);
  const metrics = createSubscriptionMetrics(options.registry, {
    activeCount: () => streams.size,
    channelCount,
  });

  const wss = new WebSocketServer({ server: options.httpServer, path: options.path });
  const server = useServer<Record<string, unknown>, { connection: Connection }>(
    {
      isProd: true,
      connectionInitWaitTimeout: 10_000,

      async onConnect(ctx) {
        const connectionLogger = requestLogger(log);
        const verdict = await authenticateConnection(authenticate, ctx.connectionParams, {
          requestId: connectionLogger.bindings().requestId as string,
          logger: connectionLogger,
        });
        if ('refuse' in verdict) {
          ctx.extra.socket.close(verdict.refuse.code, verdict.refuse.reason);
          return false;
        }
        ctx.extra.connection = {
          principal: verdict.principal,
          outbox: new SocketOutbox(ctx.extra.socket, limits),
          logger: connectionLogger.child({ userId: verdict.principal.userId }),
        };
        return true;
      },

      async onSubscribe(ctx, _id, payload) {
        const connection = ctx.extra.connection;
        const schema = apiSchema();
        if (!connection || !schema) {
          return [platformError('SERVICE_UNAVAILABLE', 'Subscriptions are not available yet')];
        }
        const request = readSubscriptionRequest(schema, payload, fields);
        if (Array.isArray(request)) return request;
        const subscription = sourceByField.get(request.root.name.value)!.prepare(request);
        if (Array.isArray(subscription)) return subscription;
        try {
          await onStart(connection.principal);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          connection.logger.error({ err: error }, 'the subscription start hook failed');
          return [platformError(ErrorCode.InternalServerError, 'Internal server error')];
        }
        metrics.starts.inc({ principal_kind: connection.principal.kind });
        const context: SubscriptionContext = { connection, subscription };
        return {
          schema,
          document: request.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: context,
        };
      },

      subscribe(args: ExecutionArgs) {
        const { connection, subscription } = args.contextValue as SubscriptionContext;
        const stream: SubscriptionStream = subscription.open({
          principal: connection.principal,
          outbox: connection.outbox,
          logger: connection.logger,
          onEnd: () => streams.delete(stream),
        });
        streams.add(stream);
        void stream.start();
        return stream;
      },
    },
    wss,
    options.keepAliveMs,
  );

  return {
    activeCount: () => streams.size,
    channelCount,
    async stop() {
      for (const stream of [...streams]) stream.end();
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await server.dispose();
      } finally {
        clearTimeout(cut);
        await Promise.all(sources.map((source) => source.close()));
      }
    },
  };
}
