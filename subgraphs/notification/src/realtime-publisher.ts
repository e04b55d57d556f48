import type { Redis } from 'ioredis';
import {
  encodeNotificationMessage,
  notificationChannel,
  type NotificationMessage,
} from '@platform/realtime';

/** One message for one recipient's channel. */
export interface RecipientMessage {
  recipientId: string;
  message: NotificationMessage;
}

/** Tells the gateways that a recipient has a new notification (ids only, see @platform/realtime). */
export interface NotificationPublisher {
  publish(recipientId: string, message: NotificationMessage): Promise<void>;
  /**
   * Publishes many messages in one round trip (an ioredis pipeline), in the order given: Redis
   * runs a connection's commands in order, so a recipient's messages arrive in that order. Rejects
   * with the first command's error, if any; the messages before it may have been published.
   */
  publishMany(messages: readonly RecipientMessage[]): Promise<void>;
}

export function redisNotificationPublisher(redis: Redis): NotificationPublisher {
  return {
    async publish(recipientId, message) {
      await redis.publish(notificationChannel(recipientId), encodeNotificationMessage(message));
    },
    async publishMany(messages) {
      if (messages.length === 0) return;
      const pipeline = redis.pipeline();
      for (const { recipientId, message } of messages)
        pipeline.publish(notificationChannel(recipientId), encodeNotificationMessage(message));
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    },
  };
}
