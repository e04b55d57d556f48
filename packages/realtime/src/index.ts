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

/**
 * The general form of the contract, for every Subscription field a subgraph declares `@live`
 * (gateway README, "Live fields"): a channel named by the field's `channel` template with the
 * subscription's arguments filled in, carrying the changed entity's id and a cursor. Cursors are
 * decimal integers (at most 20 digits) that increase per channel; the gateway sends each channel's
 * events in cursor order and drops one at or before the last it sent.
 */
export const liveMessageSchema = z.object({
  id: z.string().min(1),
  cursor: z.string().regex(/^\d{1,20}$/, 'must be a decimal integer'),
});

export type LiveMessage = z.infer<typeof liveMessageSchema>;

export function encodeLiveMessage(message: LiveMessage): string {
  return JSON.stringify(liveMessageSchema.parse(message));
}

/**
 * Parses a message of any live channel; a notification message (`notificationId`) reads as one
 * whose id is the notification's. Undefined for anything else (logged by the caller).
 */
export function decodeLiveMessage(raw: string): LiveMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const live = liveMessageSchema.safeParse(value);
  if (live.success) return live.data;
  const notification = notificationMessageSchema.safeParse(value);
  return notification.success
    ? { id: notification.data.notificationId, cursor: notification.data.cursor }
    : undefined;
}

/**
 * A channel template with `{argument}` placeholders filled from `args`; undefined when one is
 * missing or not a string or number (the gateway then refuses the subscription).
 */
export function fillChannel(
  template: string,
  args: Readonly<Record<string, unknown>>,
): string | undefined {
  let complete = true;
  const name = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = args[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    complete = false;
    return '';
  });
  return complete ? name : undefined;
}

/** The arguments a channel template names, in order. */
export const channelArguments = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

/** `documentChanged(projectId)`'s channel, as the data subgraph's schema declares it. */
export const DOCUMENT_CHANNEL = 'documents:project:{projectId}';
export const documentChannel = (projectId: string): string =>
  fillChannel(DOCUMENT_CHANNEL, { projectId })!;
