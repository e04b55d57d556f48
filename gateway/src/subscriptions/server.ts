import type http from 'node:http';
import { GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { ErrorCode, platformError } from '@platform/errors';
import type { AuthenticatedPrincipal } from '@platform/identity';
import { requestLogger, type Logger } from '@platform/logger';
import type { Authenticate } from '../auth/authenticate.js';
import { authenticateConnection } from './connection-auth.js';
import { notificationChannels } from './notification-channels.js';
import { notificationResolver, type RunQuery } from './notification-resolver.js';
import { NotificationStream } from './notification-stream.js';
import {
  readNotificationSubscription,
  type NotificationSubscription,
} from './notification-subscription.js';
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
  /** Runs the rewritten queries through the gateway's pipeline as the subscriber. */
  runQuery: RunQuery;
  /** The subscriber connection to the Redis notifications are published on (`@platform/realtime`). */
  redis: Redis;
  /** Server ping every this many ms; a socket that misses the pong is terminated. */
  keepAliveMs: number;
  limits: SocketOutboxLimits;
  onStart: SubscriptionStartHook;
  registry: Registry;
  logger: Logger;
}

export interface SubscriptionServer {
  /** notificationAdded subscriptions being served. */
  activeCount(): number;
  /** Redis channels subscribed. */
  channelCount(): number;
  /** Closes every socket (1001) and stops listening to Redis. */
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
  subscription: NotificationSubscription;
}

/** Sockets that do not finish their close handshake in this time are cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * `notificationAdded` over graphql-ws (graphql-transport-ws) on the gateway's own HTTP server and
 * path. @apollo/gateway does not execute subscriptions, so the gateway serves them itself:
 * connect (authenticate) -> subscribe (validate against the API schema, start hook, count) ->
 * stream (Redis channel of the principal, replay `since`, resolve each notification through the
 * supergraph) -> bounded delivery.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { authenticate, apiSchema, runQuery, limits, onStart, logger } = options;
  const log = logger.child({ component: 'subscriptions' });
  const channels = notificationChannels({ redis: options.redis, logger: log });
  const streams = new Set<NotificationStream>();
  const metrics = createSubscriptionMetrics(options.registry, {
    activeCount: () => streams.size,
    channelCount: () => channels.channelCount(),
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
        const subscription = readNotificationSubscription(schema, payload);
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
          document: subscription.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: context,
        };
      },

      subscribe(args: ExecutionArgs) {
        const { connection, subscription } = args.contextValue as SubscriptionContext;
        const stream: NotificationStream = new NotificationStream({
          userId: connection.principal.userId,
          since: subscription.since,
          resolver: notificationResolver(runQuery, subscription, connection.principal),
          channels,
          outbox: connection.outbox,
          inboxLimit: limits.maxPending,
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
    channelCount: () => channels.channelCount(),
    async stop() {
      for (const stream of [...streams]) stream.end();
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await server.dispose();
      } finally {
        clearTimeout(cut);
        await channels.close();
      }
    },
  };
}
