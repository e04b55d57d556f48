import { requireScope } from '@platform/identity';
import { notificationChannel } from '@platform/realtime';
import { ChannelStream } from '../channel-stream.js';
import type { LiveChannels } from '../channels.js';
import type { DeliveryRetry } from '../delivery-retry.js';
import type { RunQuery } from '../run-query.js';
import type { SubscriptionSource } from '../source.js';
import { notificationResolver } from './resolver.js';
import { NOTIFICATION_ADDED, readNotificationSubscription } from './subscription.js';

export interface NotificationSourceOptions {
  /** The gateway's Redis channels (one subscriber connection), shared with the live fields. */
  channels: LiveChannels;
  /** Resolves each notification through the gateway's pipeline as the subscriber. */
  runQuery: RunQuery;
  /** Live messages a stream holds before folding them into one replay (see NotificationStream). */
  inboxLimit: number;
  /** Retries a notification that cannot be resolved right now (see ChannelStream). */
  retry: DeliveryRetry;
}

/**
 * `notificationAdded`: the subscriber's Redis channel (`@platform/realtime`), a replay from
 * `since`, and each notification resolved through the supergraph with the subscriber's selection.
 */
export function notificationSource({
  channels,
  runQuery,
  inboxLimit,
  retry,
}: NotificationSourceOptions): SubscriptionSource {
  return {
    fields: () => [NOTIFICATION_ADDED],
    prepare(request) {
      const subscription = readNotificationSubscription(request);
      if (Array.isArray(subscription)) return subscription;
      return {
        // What `notification(id)` demands of its caller (the notification subgraph's domain),
        // asked once here because a delivery served from the message asks no subgraph: its
        // FORBIDDEN refuses the subscribe (server.ts).
        async authorize(principal) {
          requireScope(principal, 'read');
          return undefined;
        },
        open: ({ principal, outbox, logger: subscriberLogger, onEnd, onDelivered }) =>
          new ChannelStream({
            channel: notificationChannel(principal.userId),
            since: subscription.since,
            resolver: notificationResolver(runQuery, subscription, principal),
            channels,
            outbox,
            inboxLimit,
            retry,
            logger: subscriberLogger,
            onEnd,
            onDelivered,
          }),
      };
    },
  };
}
