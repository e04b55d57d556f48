import type { ExecutionResult, GraphQLError } from 'graphql';
import type { AuthenticatedPrincipal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import type { SocketOutbox } from './socket-outbox.js';
import type { SubscriptionRequest } from './subscription-request.js';

/**
 * Where the events of one Subscription root field come from. The transport (`server.ts`)
 * authenticates the socket, reads and validates each `subscribe` message, runs the start hook and
 * picks the source by the subscribed field; the source reads its own arguments and streams results.
 */
export interface SubscriptionSource {
  /** The Subscription root field it serves, e.g. `notificationAdded`. */
  readonly field: string;
  /** Reads the field's arguments and selection; errors go to the client as they are. */
  prepare(request: SubscriptionRequest): PreparedSubscription | GraphQLError[];
  /** Upstream channels (e.g. Redis) this source holds open, for the metrics. */
  channelCount(): number;
  /** Releases what the source holds; its streams are ended by the transport first. */
  close(): Promise<void>;
}

/** One checked subscription, ready to stream for its subscriber. */
export interface PreparedSubscription {
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
}

/** What graphql-ws iterates; `start` begins producing and `end` stops it (idempotent). */
export interface SubscriptionStream extends AsyncIterableIterator<ExecutionResult> {
  start(): Promise<void>;
  end(): void;
}
