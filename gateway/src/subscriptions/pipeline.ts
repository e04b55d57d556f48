import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
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
import { SocketOutbox, type OutboxSocket, type SocketOutboxLimits } from './socket-outbox.js';
import type { SubscriptionStartHook } from './start-hook.js';
import { createSubscriptionMetrics, type SubscriptionTransport } from './metrics.js';

export interface SubscriptionPipelineOptions {
  /** The same authentication as HTTP requests. */
  authenticate: Authenticate;
  /** The API schema served right now (it follows the supergraph); undefined before one loads. */
  apiSchema: () => GraphQLSchema | undefined;
  /** notificationAdded (`notifications/source.ts`) and the `@live` fields (`live/source.ts`). */
  sources: readonly SubscriptionSource[];
  /** The Redis channels the sources listen on: counted in the metrics, closed at stop. */
  channels: LiveChannels;
  limits: SocketOutboxLimits;
  /** SUBSCRIPTIONS_PER_SOCKET and SOCKETS_PER_USER. */
  caps: SubscriptionCaps;
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

/**
 * What a transport carries for one client connection: a graphql-ws socket, or one SSE or
 * multipart HTTP response (a stream holding one subscription).
 */
export interface Connection {
  principal: AuthenticatedPrincipal;
  /** What carries it, for the per-transport gauges. */
  transport: SubscriptionTransport;
  outbox: SocketOutbox;
  logger: Logger;
  /** Subscriptions accepted or being started on this connection (SUBSCRIPTIONS_PER_SOCKET). */
  subscriptions: number;
  /**
   * The transport closed: stops watching the credential and frees the user's place among
   * SOCKETS_PER_USER. Idempotent.
   */
  release(): void;
}

/** A subscribe that passed every check and was charged: ready to open. */
export interface AcceptedSubscription {
  /** The subscribed root field (a metric label). */
  field: string;
  schema: GraphQLSchema;
  document: DocumentNode;
  subscription: PreparedSubscription;
}

/** A connection's credential, named like graphql-ws connectionParams (`connection-auth.ts`). */
export type ConnectionParams = Readonly<Record<string, unknown>> | undefined;

/**
 * The transport-independent side of subscriptions, one instance shared by every transport
 * (graphql-ws in `server.ts`, SSE and multipart HTTP in `http/`), so a user's connections,
 * the active streams and the metrics are counted once whatever carries them.
 */
export interface SubscriptionPipeline {
  /**
   * Authenticates a connection (the socket's `connection_init`, an HTTP stream's headers) and
   * takes a place among the user's SOCKETS_PER_USER; then its credential is watched, and an
   * expired or revoked one closes `transport` like a socket (4401/4403).
   */
  connect(
    params: ConnectionParams,
    transport: OutboxSocket,
    kind: SubscriptionTransport,
  ): Promise<Connection | SocketClose>;
  /**
   * Subscriptions per connection; token limit, cost limits and validation against the API
   * schema; the source of the root field; its own authorization; the start hook, which charges
   * the start (or one token for a refusal). Errors go to the client as they are.
   */
  subscribe(
    connection: Connection,
    payload: SubscribePayload,
  ): Promise<AcceptedSubscription | GraphQLError[]>;
  /** Opens an accepted subscription's stream for the connection; it counts until it ends. */
  open(connection: Connection, accepted: AcceptedSubscription): SubscriptionStream;
  /** Subscriptions being served. */
  activeCount(): number;
  /** Upstream channels the sources hold open (Redis channels). */
  channelCount(): number;
  /** Ends every stream now. */
  endAll(): void;
  /** Closes the sources' channels (after the transports stopped). */
  close(): Promise<void>;
}

/** A subscribe refused before it started (invalid, over a limit or a cap) costs this many tokens. */
const REFUSED_SUBSCRIBE_COST = 1;

/**
 * authenticate (sockets per user, then the credential is watched: `reauthentication.ts`) ->
 * subscribe (subscriptions per connection; token limit, cost limits and validation against the
 * API schema; pick the source of the root field; its authorization; start hook, which charges the
 * start, or one token for a refusal; count) -> the source's stream -> bounded delivery (the
 * connection's outbox).
 */
export function subscriptionPipeline(options: SubscriptionPipelineOptions): SubscriptionPipeline {
  const { authenticate, apiSchema, sources, limits, caps, onStart, logger } = options;
  const log = logger.child({ component: 'subscriptions' });
  /** Each stream being served, and the transport carrying it. */
  const streams = new Map<SubscriptionStream, SubscriptionTransport>();
  const connections = new Map<SubscriptionTransport, number>();
  const channelCount = () => options.channels.channelCount();
  const countBy = (transport: SubscriptionTransport) => ({
    connections: connections.get(transport) ?? 0,
    subscriptions: [...streams.values()].filter((carrier) => carrier === transport).length,
  });
  const metrics = createSubscriptionMetrics(options.registry, { countBy, channelCount });

  const socketsPerUser = new Map<string, number>();

  async function connect(
    params: ConnectionParams,
    transport: OutboxSocket,
    kind: SubscriptionTransport,
  ): Promise<Connection | SocketClose> {
    const connectionLogger = requestLogger(log);
    const verdict = await authenticateConnection(authenticate, params, {
      requestId: connectionLogger.bindings().requestId as string,
      logger: connectionLogger,
    });
    if ('refuse' in verdict) return verdict.refuse;
    const { principal } = verdict;
    const held = socketsPerUser.get(principal.userId) ?? 0;
    if (held >= caps.socketsPerUser) {
      metrics.capsRefused.inc({ cap: 'sockets_per_user' });
      connectionLogger.debug(
        { userId: principal.userId, limit: caps.socketsPerUser },
        'subscription connection refused: the user holds SOCKETS_PER_USER connections',
      );
      return SocketClose.TooManySockets;
    }
    socketsPerUser.set(principal.userId, held + 1);
    const connectionLog = connectionLogger.child({ userId: principal.userId });
    const stopWatching = watchCredential({
      socket: transport,
      authenticate,
      params,
      principal,
      everyMs: options.reauthenticateEveryMs,
      logger: connectionLog,
    });
    let released = false;
    connections.set(kind, (connections.get(kind) ?? 0) + 1);
    return {
      principal,
      transport: kind,
      outbox: new SocketOutbox(transport, limits),
      logger: connectionLog,
      subscriptions: 0,
      release() {
        if (released) return;
        released = true;
        connections.set(kind, (connections.get(kind) ?? 1) - 1);
        stopWatching();
        const left = (socketsPerUser.get(principal.userId) ?? 1) - 1;
        if (left > 0) socketsPerUser.set(principal.userId, left);
        else socketsPerUser.delete(principal.userId);
      },
    };
  }

  async function subscribe(
    connection: Connection,
    payload: SubscribePayload,
  ): Promise<AcceptedSubscription | GraphQLError[]> {
    const schema = apiSchema();
    const costModel = options.costModel();
    if (!schema || !costModel) {
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
    return {
      field: prepared.request.root.name.value,
      schema,
      document: prepared.request.document,
      subscription: prepared.subscription,
    };
  }

  function open(connection: Connection, accepted: AcceptedSubscription): SubscriptionStream {
    const stream: SubscriptionStream = accepted.subscription.open({
      principal: connection.principal,
      outbox: connection.outbox,
      logger: connection.logger,
      onEnd: () => {
        streams.delete(stream);
        connection.subscriptions -= 1;
      },
      onDelivered: (message) => metrics.delivered(accepted.field, message),
    });
    streams.set(stream, connection.transport);
    void stream.start();
    return stream;
  }

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
    connect,
    subscribe,
    open,
    activeCount: () => streams.size,
    channelCount,
    endAll() {
      for (const stream of [...streams.keys()]) stream.end();
    },
    close: () => options.channels.close(),
  };
}

const subscriptionLimitExceeded = (limit: number) =>
  platformError(
    'SUBSCRIPTION_LIMIT_EXCEEDED',
    `A socket may hold ${limit} subscriptions at once; complete one first, or open another socket`,
    { limit },
  );
