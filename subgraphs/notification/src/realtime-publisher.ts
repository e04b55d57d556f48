import type { RedisConnection } from '@platform/redis';
import {
  encodeNotificationMessage,
  notificationChannel,
  type NotificationEntity,
  type NotificationMessage,
} from '@platform/realtime';
import { cursorOf } from './domain/cursor.js';
import { endPublishSpans, startPublishSpan } from './publish-spans.js';
import type { Notification } from './repositories/notifications.js';

/** One message for one recipient's channel. */
export interface RecipientMessage {
  recipientId: string;
  message: NotificationMessage;
  /** The event it is about: its trace continues in the message (publish-spans.ts). */
  eventId?: string;
}

/** Tells the gateways that a recipient has a new notification (see @platform/realtime). */
export interface NotificationPublisher {
  publish(recipientId: string, message: NotificationMessage): Promise<void>;
  /**
   * Publishes many messages in one round trip (an ioredis pipeline), in the order given: Redis
   * runs a connection's commands in order, so a recipient's messages arrive in that order (on a
   * cluster too: PUBLISH names no key, so the whole pipeline goes to one node, which forwards
   * every message to the others). Rejects
   * with the first command's error, if any; the messages before it may have been published.
   */
  publishMany(messages: readonly RecipientMessage[]): Promise<void>;
}

export function redisNotificationPublisher(redis: RedisConnection): NotificationPublisher {
  const publishMany = async (messages: readonly RecipientMessage[]) => {
    if (messages.length === 0) return;
    const pipeline = redis.pipeline();
    const spans = messages.map(({ recipientId, message, eventId }) => {
      const channel = notificationChannel(recipientId);
      const { span, traceContext } = startPublishSpan(channel, eventId);
      pipeline.publish(channel, encodeNotificationMessage({ ...message, traceContext }));
      return span;
    });
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    } catch (error) {
      endPublishSpans(spans, error);
      throw error;
    }
    endPublishSpans(spans);
  };
  return {
    publish: (recipientId, message) => publishMany([{ recipientId, message }]),
    publishMany,
  };
}

/**
 * What is published for a stored notification: its id and cursor, and the notification as this
 * subgraph's `Notification` resolvers answer it (resolvers.ts: `cursor`, `read`, `actor`,
 * `subject`), so a gateway serves a selection of these fields without asking.
 */
export function notificationMessage(
  notification: Notification,
  /** When the event behind it happened: the gateway measures delivery latency from it. */
  occurredAt?: string,
): NotificationMessage {
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
  const message: NotificationMessage = {
    notificationId: notification.id,
    cursor,
    notification: entity,
  };
  if (occurredAt !== undefined) message.occurredAt = occurredAt;
  return message;
}
