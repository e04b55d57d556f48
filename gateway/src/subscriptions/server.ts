import type http from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { platformError } from '@platform/errors';
import type { Logger } from '@platform/logger';
import { SocketClose } from './close-codes.js';
import type { AcceptedSubscription, Connection, SubscriptionPipeline } from './pipeline.js';

export interface SubscriptionServerOptions {
  /** The gateway's HTTP server: graphql-ws is served on its upgrades to `path`. */
  httpServer: http.Server;
  path: string;
  /** Authentication, caps, limits, the start charge and the sources, shared with HTTP streams. */
  pipeline: SubscriptionPipeline;
  /** Server ping every this many ms; a socket that misses the pong is terminated. */
  keepAliveMs: number;
  /** Largest frame a client may send (MAX_BODY_BYTES, like an HTTP body); ws closes 1009 above. */
  maxMessageBytes: number;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Subscriptions being served. */
  activeCount(): number;
  /** Upstream channels the sources hold open (Redis channels). */
  channelCount(): number;
  /** Closes every socket (1001); the pipeline (its owner) closes the sources after. */
  stop(): Promise<void>;
}

/** The context `onSubscribe` hands to `subscribe`. */
interface SubscriptionContext {
  connection: Connection;
  accepted: AcceptedSubscription;
}

/** Sockets that do not finish their close handshake in this time are cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Subscriptions over graphql-ws (graphql-transport-ws) on the gateway's own HTTP server and path.
 * @apollo/gateway does not execute subscriptions, so the gateway serves them itself:
 * frame size (ws maxPayload) -> connect (the pipeline authenticates and counts the socket among
 * the user's; a refusal closes it with its code) -> subscribe (the pipeline's checks and charge)
 * -> the source's stream -> bounded delivery (the socket outbox). `pipeline.ts` is the part the
 * HTTP transports (`http/`) share.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { pipeline, logger } = options;
  const log = logger.child({ component: 'subscriptions' });

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
        const { socket } = ctx.extra;
        const connection = await pipeline.connect(ctx.connectionParams, socket, 'graphql-ws');
        if ('code' in connection) {
          socket.close(connection.code, connection.reason);
          return false;
        }
        socket.once('close', () => connection.release());
        ctx.extra.connection = connection;
        return true;
      },

      async onSubscribe(ctx, _id, payload) {
        const connection = ctx.extra.connection;
        if (!connection) {
          return [platformError('SERVICE_UNAVAILABLE', 'Subscriptions are not available yet')];
        }
        const accepted = await pipeline.subscribe(connection, payload);
        if (Array.isArray(accepted)) return accepted;
        const context: SubscriptionContext = { connection, accepted };
        return {
          schema: accepted.schema,
          document: accepted.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: context,
        };
      },

      subscribe(args: ExecutionArgs) {
        const { connection, accepted } = args.contextValue as SubscriptionContext;
        return pipeline.open(connection, accepted);
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

  return {
    activeCount: () => pipeline.activeCount(),
    channelCount: () => pipeline.channelCount(),
    async stop() {
      pipeline.endAll();
      const cut = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await server.dispose();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
