import type { AnyEventEnvelope } from '@platform/events';
import type { Logger } from '@platform/logger';
import type { NotificationMetrics } from '../metrics.js';
import { notificationMessage, type NotificationPublisher } from '../realtime-publisher.js';
import type { NewNotification, NotificationRepository } from '../repositories/notifications.js';
import { notificationsFor } from './rules.js';

export interface NotificationDeliveryDeps {
  notifications: NotificationRepository;
  publisher: NotificationPublisher;
  metrics: Pick<NotificationMetrics, 'created' | 'published'>;
  logger: Logger;
}

/**
 * Turns an event into stored, then published, notifications. Delivery is at least once, so every
 * step is safe to repeat:
 * 1. `store`: all the event's rows in one statement; ON CONFLICT (event_id, recipient_id) DO
 *    NOTHING, so a redelivered event adds no row.
 * 2. `publishPending`: publishes the event's rows not yet marked published, then marks them. A
 *    redelivery after a crash publishes only what was not yet marked. A crash between PUBLISH and
 *    the mark publishes those rows again on redelivery: the gateway drops a cursor it has already
 *    sent to a subscriber, so the client sees it once.
 * `handle` resolves only after both, so the consumer commits the offset after the effect is stored.
 */
export function notificationDelivery({
  notifications,
  publisher,
  metrics,
  logger,
}: NotificationDeliveryDeps) {
  async function storeDrafts(eventId: string, drafts: NewNotification[]): Promise<number> {
    const created = await notifications.insertForEvent(eventId, drafts);
    metrics.created.inc(created);
    return created;
  }

  async function publishPending(eventId: string): Promise<number> {
    const pending = await notifications.findUnpublished(eventId);
    for (const notification of pending) {
      await publisher.publish(notification.recipientId, notificationMessage(notification));
      metrics.published.inc();
    }
    if (pending.length > 0) await notifications.markPublished(pending.map(({ id }) => id));
    return pending.length;
  }

  return {
    /** Step 1 alone; resolves with how many rows are new. */
    store: (event: AnyEventEnvelope) => storeDrafts(event.id, notificationsFor(event)),
    /** Step 2 alone; resolves with how many messages it published. */
    publishPending,
    /** The consumer's handler: both steps; events that notify nobody touch nothing. */
    async handle(event: AnyEventEnvelope): Promise<void> {
      const drafts = notificationsFor(event);
      if (drafts.length === 0) return;
      const created = await storeDrafts(event.id, drafts);
      const published = await publishPending(event.id);
      logger.debug({ eventId: event.id, type: event.type, created, published }, 'event handled');
    },
  };
}

export type NotificationDelivery = ReturnType<typeof notificationDelivery>;
