import type { Redis } from 'ioredis';
import type { Logger } from '@platform/logger';
import type { RunQuery } from '../run-query.js';
import type { SubscriptionSource } from '../source.js';
import { notificationChannels } from './channels.js';
import { notificationResolver } from './resolver.js';
import { NotificationStream } from './stream.js';
import { NOTIFICATION_ADDED, readNotificationSubscription } from './subscription.js';

export interface NotificationSourceOptions {
  /** The gateway's subscriber connection to the Redis notifications are published on. */
  redis: Redis;
  /** Resolves each notification through the gateway's pipeline as the subscriber. */
  runQuery: RunQuery;
  /** Live messages a stream holds before folding them into one replay (see NotificationStream). */
  inboxLimit: number;
  logger: Logger;
}

/**
 * `notificationAdded`: the subscriber's Redis channel (`@platform/realtime`), a replay from
 * `since`, and each notification resolved through the supergraph with the subscriber's selection.
 */
export function notificationSource({
  redis,
  runQuery,
  inboxLimit,
  logger,
}: NotificationSourceOptions): SubscriptionSource {
  const channels = notificationChannels({ redis, logger });
  return {
    field: NOTIFICATION_ADDED,
    prepare(request) {
      const subscription = readNotificationSubscription(request);
      if (Array.isArray(subscription)) return subscription;
      return {
        open: ({ principal, outbox, logger: subscriberLogger, onEnd }) =>
          new NotificationStream({
            userId: principal.userId,
            since: subscription.since,
            resolver: notificationResolver(runQuery, subscription, principal),
            channels,
            outbox,
            inboxLimit,
            logger: subscriberLogger,
            onEnd,
          }),
      };
    },
    channelCount: () => channels.channelCount(),
    close: () => channels.close(),
  };
}
