import type http from 'node:http';
import { GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import { ErrorCode, platformError } from '@platform/errors';
import type { AuthenticatedPrincipal } from '@platform/identity';
import { requestLogger, type Logger } from '@platform/logger';
import type { Authenticate } from '../auth/authenticate.js';
import type { CostLimits } from '../cost/limits.js';
import type { CostModel } from '../cost/model.js';
import { SocketClose } from './close-codes.js';
import type { SubscriptionCaps } from './config.js';
import type { LiveChannels } from './channels.js';
import { authenticateConnection } from './connection-auth.js';
import { watchCredential } from './reauthentication.js';
import type { PreparedSubscription, SubscriptionSource, SubscriptionStream } from './source.js';
import { readSubscriptionRequest, type SubscribePayload } from './subscription-request.js';
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
  /** notificationAdded (`notifications/source.ts`) and the `@live` fields (`live/source.ts`). */
  sources: readonly SubscriptionSource[];
  /** The Redis channels the sources listen on: counted in the metrics, closed at stop. */
  channels: LiveChannels;
  /** Server ping every this many ms; a socket that misses the pong is terminated. */
  keepAliveMs: number;
  limits: SocketOutboxLimits;
  /** SUBSCRIPTIONS_PER_SOCKET and SOCKETS_PER_USER. */
  caps: SubscriptionCaps;
  /** Largest frame a client may send (MAX_BODY_BYTES, like an HTTP body); ws closes 1009 above. */
  maxMessageBytes: number;
  /** The HTTP path's operation limits, applied to every subscribe. */
  costLimits: CostLimits;
  /** The cost model of the supergraph served now; undefined before one loads. */
  costModel: () => CostModel | undefined;
  /** SUBSCRIPTION_REAUTH_SECONDS, in ms (`reauthentication.ts`). */
  reauthenticateEveryMs: number;
  /** Tokens a subscription start costs (SUBSCRIPTION_START_COST), charged through `onStart`. */
  startCost: number;
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
  /** Subscriptions accepted or being started on this socket (SUBSCRIPTIONS_PER_SOCKET). */
  subscriptions: number;
}

/** The context `onSubscribe` hands to `subscribe`. */
interface SubscriptionContext {
  connection: Connection;
  subscription: PreparedSubscription;
}

/** Sockets that do not finish their close handshake in this time are cut. */
const CLOSE_GRACE_MS = 2_000;

/** A subscribe refused before it started (invalid, over a limit or a cap) costs this many tokens. */
const REFUSED_SUBSCRIBE_COST = 1;

/**
 * Subscriptions over graphql-ws (graphql-transport-ws) on the gateway's own HTTP server and path.
 * @apollo/gateway does not execute subscriptions, so the gateway serves them itself:
 * frame size (ws maxPayload) -> connect (authenticate, sockets per user, then the credential is
 * watched: `reauthentication.ts`) -> subscribe (subscriptions per socket; token limit, cost limits
 * and validation against the API schema; pick the source of the root field; start hook, which
 * charges the start, or one token for a refusal; count) -> the source's stream -> bounded
 * delivery (the socket outbox).
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { authenticate, apiSchema, sources, limits, caps, onStart, logger } = options;
  const log = logger.child({ component: 'subscriptions' });
  const streams = new Set<SubscriptionStream>();
  const channelCount = () => options.channels.channelCount();
  const metrics = createSubscriptionMetrics(options.registry, {
    activeCount: () => streams.size,
    channelCount,
  });

  const socketsPerUser = new Map<string, number>();

  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxMessageBytes,
  });
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
        const { socket } = ctx.extra;
        if ('refuse' in verdict) {
          socket.close(verdict.refuse.code, verdict.refuse.reason);
          return false;
        }
        const { principal } = verdict;
        const held = socketsPerUser.get(principal.userId) ?? 0;
        if (held >= caps.socketsPerUser) {
          metrics.capsRefused.inc({ cap: 'sockets_per_user' });
          connectionLogger.debug(
            { userId: principal.userId, limit: caps.socketsPerUser },
            'subscription socket refused: the user holds SOCKETS_PER_USER sockets',
          );
          socket.close(SocketClose.TooManySockets.code, SocketClose.TooManySockets.reason);
          return false;
        }
        socketsPerUser.set(principal.userId, held + 1);
        const connection: Connection = {
          principal,
          outbox: new SocketOutbox(socket, limits),
          logger: connectionLogger.child({ userId: principal.userId }),
          subscriptions: 0,
        };
        const stopWatching = watchCredential({
          socket,
          authenticate,
          params: ctx.connectionParams,
          principal,
          everyMs: options.reauthenticateEveryMs,
          logger: connection.logger,
        });
        socket.once('close', () => {
          stopWatching();
          const left = (socketsPerUser.get(principal.userId) ?? 1) - 1;
          if (left > 0) socketsPerUser.set(principal.userId, left);
          else socketsPerUser.delete(principal.userId);
        });
        ctx.extra.connection = connection;
        return true;
      },

      async onSubscribe(ctx, _id, payload) {
        const connection = ctx.extra.connection;
        const schema = apiSchema();
        const costModel = options.costModel();
        if (!connection || !schema || !costModel) {
          return [platformError('SERVICE_UNAVAILABLE', 'Subscriptions are not available yet')];
        }
        // Taken before the first await, so a burst of subscribes cannot pass the cap together.
        if (connection.subscriptions >= caps.subscriptionsPerSocket) {
          metrics.capsRefused.inc({ cap: 'subscriptions_per_socket' });
          return refuse(connection, [subscriptionLimitExceeded(caps.subscriptionsPerSocket)]);
        }
        connection.subscriptions += 1;
        const prepared = prepare(schema, costModel, payload);
        if (Array.isArray(prepared)) {
          connection.subscriptions -= 1;
          return refuse(connection, prepared);
        }
        const refusal = await authorize(connection, prepared.subscription);
        if (refusal) {
          connection.subscriptions -= 1;
          return refuse(connection, refusal);
        }
        try {
          await onStart(connection.principal, options.startCost);
        } catch (error) {
          connection.subscriptions -= 1;
          if (error instanceof GraphQLError) return [error];
          connection.logger.error({ err: error }, 'the subscription start hook failed');
          return [platformError(ErrorCode.InternalServerError, 'Internal server error')];
        }
        metrics.starts.inc({ principal_kind: connection.principal.kind });
        const context: SubscriptionContext = { connection, subscription: prepared.subscription };
        return {
          schema,
          document: prepared.request.document,
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
          onEnd: () => {
            streams.delete(stream);
            connection.subscriptions -= 1;
          },
        });
        streams.add(stream);
        void stream.start();
        return stream;
      },
    },
    wss,
    options.keepAliveMs,
  );
  // graphql-ws's ws adapter answers any socket 'error' with console.error and a 4500 close. The
  // errors ws emits for a client's bad frame (WS_ERR_*: over maxPayload, invalid UTF-8, a bad
  // opcode) are the client's, and ws has already closed the socket with the right code (1009,
  // 1007, 1002): its listener (attached in its own 'connection' handler, which runs before this
  // one) is replaced, so they are a debug line rather than an error flood an attacker can cause.
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code?.startsWith('WS_ERR_')) {
        log.debug({ err: error }, 'a subscription socket sent a frame ws refuses; ws closed it');
        return;
      }
      log.warn({ err: error }, 'a subscription socket failed; closing it');
      socket.close(SocketClose.InternalError.code, SocketClose.InternalError.reason);
    });
  });

  /** The subscribe checked and read by its source, or the errors it is refused with. */
  function prepare(schema: GraphQLSchema, costModel: CostModel, payload: SubscribePayload) {
    const sourceByField = new Map(
      sources.flatMap((source) => source.fields().map((field) => [field, source] as const)),
    );
    const request = readSubscriptionRequest(schema, payload, [...sourceByField.keys()], {
      costLimits: options.costLimits,
      costModel,
    });
    if (Array.isArray(request)) return request;
    const subscription = sourceByField.get(request.root.name.value)!.prepare(request);
    if (Array.isArray(subscription)) return subscription;
    return { request, subscription };
  }

  /** The source's own check of the subscriber; a failure of the check itself is a 500-like error. */
  async function authorize(
    connection: Connection,
    subscription: PreparedSubscription,
  ): Promise<GraphQLError[] | undefined> {
    if (!subscription.authorize) return undefined;
    try {
      return await subscription.authorize(connection.principal);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code !== undefined) return [error];
      connection.logger.error({ err: error }, 'authorizing a subscription failed');
      return [platformError(ErrorCode.InternalServerError, 'Internal server error')];
    }
  }

  /** A refused subscribe is charged too; the client gets the refusal whatever the charge says. */
  async function refuse(connection: Connection, errors: GraphQLError[]): Promise<GraphQLError[]> {
    try {
      await onStart(connection.principal, REFUSED_SUBSCRIBE_COST);
    } catch (error) {
      if (!(error instanceof GraphQLError)) {
        connection.logger.error({ err: error }, 'the subscription start hook failed');
      }
    }
    return errors;
  }

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
        await options.channels.close();
      }
    },
  };
}

const subscriptionLimitExceeded = (limit: number) =>
  platformError(
    'SUBSCRIPTION_LIMIT_EXCEEDED',
    `A socket may hold ${limit} subscriptions at once; complete one first, or open another socket`,
    { limit },
  );
