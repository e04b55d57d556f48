import type { Redis } from 'ioredis';
import {
  encodeNotificationMessage,
  notificationChannel,
  type NotificationEntity,
  type NotificationMessage,
} from '@platform/realtime';
import { cursorOf } from './domain/cursor.js';
import type { Notification } from './repositories/notifications.js';

/** Tells the gateways that a recipient has a new notification (see @platform/realtime). */
export interface NotificationPublisher {
  publish(recipientId: string, message: NotificationMessage): Promise<void>;
}

export function redisNotificationPublisher(redis: Redis): NotificationPublisher {
  return {
    async publish(recipientId, message) {
      await redis.publish(notificationChannel(recipientId), encodeNotificationMessage(message));
    },
  };
}

/**
 * What is published for a stored notification: its id and cursor, and the notification as this
 * subgraph's `Notification` resolvers answer it (resolvers.ts: `cursor`, `read`, `actor`,
 * `subject`), so a gateway serves a selection of these fields without asking.
 */
export function notificationMessage(notification: Notification): NotificationMessage {
  const cursor = cursorOf(notification.id);
  const entity: NotificationEntity = {
    id: notification.id,
    cursor,
    kind: notification.kind,
    message: notification.message,
    read: notification.readAt !== null,
    createdAt: notification.createdAt.toISOString(),
    actor: notification.actorId ? { __typename: 'User', id: notification.actorId } : null,
    subject: { __typename: notification.subjectType, id: notification.subjectId },
  };
  return { notificationId: notification.id, cursor, notification: entity };
}
