import type { ExecutionResult, GraphQLError } from 'graphql';
import type { AuthenticatedPrincipal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import type { LiveMessage } from '@platform/realtime';
import type { SocketOutbox } from './socket-outbox.js';
import type { SubscriptionRequest } from './subscription-request.js';

/**
 * Where the events of Subscription root fields come from. The transport (`server.ts`)
 * authenticates the socket, reads and validates each `subscribe` message, runs the start hook and
 * picks the source by the subscribed field; the source reads its own arguments and streams results.
 */
export interface SubscriptionSource {
  /**
   * The Subscription root fields it serves right now: `notificationAdded`, or every field the
   * current supergraph declares `@live` (`live/source.ts`).
   */
  fields(): readonly string[];
  /** Reads the field's arguments and selection; errors go to the client as they are. */
  prepare(request: SubscriptionRequest): PreparedSubscription | GraphQLError[];
}

/** One checked subscription, ready to stream for its subscriber. */
export interface PreparedSubscription {
  /**
   * Whether `principal` may subscribe, asked before the start is charged; errors refuse the
   * subscribe and go to the client as they are. Without it, anyone authenticated may.
   */
  authorize?(principal: AuthenticatedPrincipal): Promise<GraphQLError[] | undefined>;
  open(subscriber: Subscriber): SubscriptionStream;
}

/** Who a stream sends to. */
export interface Subscriber {
  principal: AuthenticatedPrincipal;
  /** The socket's bounded send queue: a stream paces itself by it. */
  outbox: SocketOutbox;
  logger: Logger;
  /** Called once when the stream ends, however it ends. */
  onEnd: () => void;
  /** Called when a live message's frame is handed to the transport to send (delivery latency). */
  onDelivered?: (message: LiveMessage) => void;
}

/** What graphql-ws iterates; `start` begins producing and `end` stops it (idempotent). */
export interface SubscriptionStream extends AsyncIterableIterator<ExecutionResult> {
  start(): Promise<void>;
  end(): void;
}
