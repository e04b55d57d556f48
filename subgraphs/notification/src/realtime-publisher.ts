import type { Redis } from 'ioredis';
import {
  encodeNotificationMessage,
  notificationChannel,
  type NotificationMessage,
} from '@platform/realtime';

/** Tells the gateways that a recipient has a new notification (ids only, see @platform/realtime). */
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
