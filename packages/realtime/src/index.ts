import { z } from 'zod';

/**
 * The Redis pub/sub contract between the notification subgraph (publisher) and the gateways
 * (subscribers): one channel per recipient, carrying the notification's id and cursor, and (since
 * issue 16) the notification itself as the subgraph's schema resolves it: the fields that schema
 * owns, and the entities it refers to as `{ __typename, id }`. A gateway serves a selection of
 * only those fields from the message; any other selection (or an ids-only message from an older
 * publisher) is resolved through the supergraph, so nothing the message lacks ever leaks or goes
 * stale.
 */
export const notificationChannel = (userId: string): string => `notifications:user:${userId}`;

/** The recipient whose notification channel this is; undefined for any other channel. */
export const notificationRecipient = (channel: string): string | undefined =>
  channel.startsWith('notifications:user:')
    ? channel.slice('notifications:user:'.length)
    : undefined;

const id = z.string().min(1);
const reference = <Typename extends string>(...typenames: [Typename, ...Typename[]]) =>
  z.object({ __typename: z.enum(typenames), id });

/** `Notification` as the notification subgraph resolves it (subgraphs/notification/schema.graphql). */
export const notificationEntitySchema = z.object({
  id,
  cursor: id,
  kind: z.string().min(1),
  message: z.string(),
  read: z.boolean(),
  /** ISO-8601 in UTC, as the `DateTime` scalar serializes it. */
  createdAt: z.string().min(1),
  actor: reference('User').nullable(),
  subject: reference('Document', 'Project').nullable(),
});

export type NotificationEntity = z.infer<typeof notificationEntitySchema>;

/**
 * How each field of a published notification is served: `value`s are the field's answer as it is;
 * a `reference` answers `__typename` and `id` of the entity it names, nothing else.
 */
export const NOTIFICATION_ENTITY_FIELDS = {
  id: 'value',
  cursor: 'value',
  kind: 'value',
  message: 'value',
  read: 'value',
  createdAt: 'value',
  actor: 'reference',
  subject: 'reference',
} as const satisfies Record<keyof NotificationEntity, 'value' | 'reference'>;

/**
 * The trace context (W3C `traceparent`, `tracestate`) of what caused a message: the gateway
 * delivers it in a span of the same trace (@platform/telemetry `traceCarrier`). Optional in every
 * message; a malformed one is dropped, never the message.
 */
const traceContext = z.record(z.string(), z.string()).optional().catch(undefined);

export const notificationMessageSchema = z.object({
  notificationId: id,
  /** The notification's cursor, increasing per recipient: subscribers drop what they already sent. */
  cursor: id,
  /**
   * The notification itself; absent from older publishers. One that does not match this schema
   * (a newer publisher's shape) is dropped, and the message reads as ids-only.
   */
  notification: notificationEntitySchema.optional().catch(undefined),
  /**
   * When the event behind the notification happened (ISO-8601), for the gateway's delivery
   * latency metric; absent from older publishers.
   */
  occurredAt: z.iso.datetime().optional().catch(undefined),
  traceContext,
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
  /** When the change happened (ISO-8601), for the gateway's delivery latency metric; optional. */
  occurredAt: z.iso.datetime().optional().catch(undefined),
  traceContext,
});

export type LiveMessage = z.infer<typeof liveMessageSchema> & {
  /**
   * The entity as its publisher's schema resolves it, when the message carries it (a
   * notification's `notification`, with the same id and cursor); never sent by `encodeLiveMessage`.
   */
  entity?: NotificationEntity;
};

export function encodeLiveMessage(message: LiveMessage): string {
  return JSON.stringify(liveMessageSchema.parse(message));
}

/**
 * Parses a message of any live channel; a notification message (`notificationId`) reads as one
 * whose id is the notification's, with the notification as its `entity` when it carries one that
 * agrees on id and cursor. Undefined for anything else (logged by the caller).
 */
export function decodeLiveMessage(raw: string): LiveMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  // Picked by shape rather than by trying both: a failed zod parse builds an error, and every
  // notification message would pay for one (it was a tenth of a delivery's CPU).
  if (typeof value !== 'object' || value === null || !('notificationId' in value)) {
    const live = liveMessageSchema.safeParse(value);
    return live.success ? live.data : undefined;
  }
  const parsed = notificationMessageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { notificationId, cursor, notification, occurredAt, traceContext } = parsed.data;
  const consistent = notification?.id === notificationId && notification.cursor === cursor;
  const message: LiveMessage = consistent
    ? { id: notificationId, cursor, entity: notification }
    : { id: notificationId, cursor };
  if (occurredAt !== undefined) message.occurredAt = occurredAt;
  if (traceContext) message.traceContext = traceContext;
  return message;
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
