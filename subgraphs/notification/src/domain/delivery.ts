import type { AnyEventEnvelope, EventBatchContext } from '@platform/events';
import type { Logger } from '@platform/logger';
import type { NotificationMetrics } from '../metrics.js';
import { notificationMessage, type NotificationPublisher } from '../realtime-publisher.js';
import type { NotificationRepository, StoredDraft } from '../repositories/notifications.js';
import { notificationsFor } from './rules.js';

export interface NotificationDeliveryDeps {
  notifications: NotificationRepository;
  publisher: NotificationPublisher;
  metrics: Pick<NotificationMetrics, 'created' | 'published'>;
  logger: Logger;
}

/**
 * Rows per INSERT transaction. Each holds a lock per distinct recipient until it commits, in
 * PostgreSQL's shared lock table (max_locks_per_transaction x max_connections slots, 6,400 by
 * default, shared by every connection): an event for 10,000 members must go in chunks.
 */
export const STORE_CHUNK_ROWS = 500;
/** Messages per Redis pipeline, each chunk marked published before the next. */
export const PUBLISH_CHUNK_MESSAGES = 1_000;

const noHeartbeat: EventBatchContext = { heartbeat: async () => undefined };

function* chunks<Item>(items: readonly Item[], size: number): Generator<Item[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/**
 * Turns events into stored, then published, notifications, a batch at a time. Delivery is at
 * least once, so every step is safe to repeat:
 * 1. `store`: the batch's rows in event order, a few hundred per statement; ON CONFLICT
 *    (event_id, recipient_id) DO NOTHING, so a redelivered event adds no row.
 * 2. `publishPending`: publishes the batch's rows not yet marked published, in id order (a
 *    recipient's cursor order), pipelined, then marks them. A redelivery after a crash publishes
 *    only what was not yet marked. A crash between PUBLISH and the mark publishes those rows again
 *    on redelivery: the gateway drops a cursor it has already sent to a subscriber, so the client
 *    sees it once.
 * `handleBatch` resolves only after both, so the consumer commits the offsets after the effects
 * are stored.
 */
export function notificationDelivery({
  notifications,
  publisher,
  metrics,
  logger,
}: NotificationDeliveryDeps) {
  /** The batch's rows in event order; an event seen twice in one batch counts once. */
  function draftsOf(events: readonly AnyEventEnvelope[]): StoredDraft[] {
    const seen = new Set<string>();
    const rows: StoredDraft[] = [];
    for (const event of events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      for (const draft of notificationsFor(event)) rows.push({ ...draft, eventId: event.id });
    }
    return rows;
  }

  async function storeRows(rows: StoredDraft[], { heartbeat }: EventBatchContext) {
    let created = 0;
    for (const chunk of chunks(rows, STORE_CHUNK_ROWS)) {
      created += await notifications.insert(chunk);
      await heartbeat();
    }
    metrics.created.inc(created);
    return created;
  }

  async function publishPending(
    eventIds: readonly string[],
    { heartbeat }: EventBatchContext = noHeartbeat,
    /** When each event happened, carried in its messages (the gateway's delivery latency). */
    occurredAt: ReadonlyMap<string, string> = new Map(),
  ): Promise<number> {
    if (eventIds.length === 0) return 0;
    const pending = await notifications.findUnpublished(eventIds);
    for (const chunk of chunks(pending, PUBLISH_CHUNK_MESSAGES)) {
      await publisher.publishMany(
        chunk.map((notification) => ({
          recipientId: notification.recipientId,
          message: notificationMessage(notification, occurredAt.get(notification.eventId)),
          eventId: notification.eventId,
        })),
      );
      metrics.published.inc(chunk.length);
      await notifications.markPublished(chunk.map(({ id }) => id));
      await heartbeat();
    }
    return pending.length;
  }

  /** The consumer's handler: both steps; events that notify nobody touch nothing. */
  async function handleBatch(
    events: readonly AnyEventEnvelope[],
    context: EventBatchContext = noHeartbeat,
  ): Promise<void> {
    const rows = draftsOf(events);
    if (rows.length === 0) return;
    const created = await storeRows(rows, context);
    const occurredAt = new Map(events.map((event) => [event.id, event.occurredAt]));
    const published = await publishPending(
      [...new Set(rows.map((row) => row.eventId))],
      context,
      occurredAt,
    );
    logger.debug({ events: events.length, created, published }, 'event batch handled');
  }

  return {
    /** Step 1 alone; resolves with how many rows are new. */
    store: (events: readonly AnyEventEnvelope[]) => storeRows(draftsOf(events), noHeartbeat),
    /** Step 2 alone; resolves with how many messages it published. */
    publishPending,
    handleBatch,
    /** One event: a batch of one. */
    handle: (event: AnyEventEnvelope) => handleBatch([event]),
  };
}

export type NotificationDelivery = ReturnType<typeof notificationDelivery>;
