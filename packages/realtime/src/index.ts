import { z } from 'zod';

/**
 * The Redis pub/sub contract between the notification subgraph (publisher) and the gateways
 * (subscribers): one channel per recipient, carrying only ids. Subscribers resolve the
 * notification through the supergraph, so the message never goes stale or leaks fields.
 */
export const notificationChannel = (userId: string): string => `notifications:user:${userId}`;

export const notificationMessageSchema = z.object({
  notificationId: z.string().min(1),
  /** The notification's cursor, increasing per recipient: subscribers drop what they already sent. */
  cursor: z.string().min(1),
});

export type NotificationMessage = z.infer<typeof notificationMessageSchema>;

export function encodeNotificationMessage(message: NotificationMessage): string {
  return JSON.stringify(notificationMessageSchema.parse(message));
}

/** Parses a channel message; undefined for anything that is not one (logged by the caller). */
export function decodeNotificationMessage(raw: string): NotificationMessage | undefined {
  try {
    const parsed = notificationMessageSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
