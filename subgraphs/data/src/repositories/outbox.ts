import { MongoServerError, type Collection } from 'mongodb';
import {
  InvalidEventError,
  parseEvent,
  type AnyEventEnvelope,
  type OutboxBacklog,
  type OutboxStore,
} from '@platform/events';
import type { Logger } from '@platform/logger';
import { traceCarrier } from '@platform/telemetry';
import type {
  ChangeIntentRecord,
  OutboxEntryRecord,
  StoredEvent,
  StoredIntentRecord,
  StoredOutboxEntryRecord,
} from './records.js';
import type { StoreQuery } from './store-query.js';

/**
 * The outbox: how an event is published exactly when its change happened, without transactions.
 *
 * MongoDB on FerretDB 1.x has no multi-document transactions, and FerretDB applies updates as
 * read-modify-write without locks, so a document two parties update at once can lose one update.
 * Events therefore never live in the project or document they are about, and no document here is
 * updated by two parties:
 *
 * 1. before a change, its writer inserts an intent into `outbox_intents` (the event, and a
 *    `check` that tells from the store alone whether the change happened);
 * 2. it applies the change; versioned changes take their version claim under the event's id
 *    (version-claims.ts), so the ledger records which intent made each version;
 * 3. when the change happened, the writer inserts the event into `outbox` as `ready` and then
 *    deletes the intent; when it certainly did not (the claim or the condition failed), it
 *    deletes the intent. A failure it cannot read leaves the intent in place;
 * 4. the relay publishes `ready` entries oldest first and marks them `published` (only relays
 *    update outbox entries, and they all write the same values);
 * 5. intents older than STALE_INTENT_MS belong to writers that died or failed between steps 1
 *    and 3; the reconciler reads the store to decide, and either inserts the entry (step 3) or
 *    deletes the intent.
 *
 * Every step is an insert guarded by a unique `_id` or a delete by `_id`, which both stores apply
 * atomically. A writer that is merely slow and loses its intent to the reconciler still inserts
 * its entry in step 3, and an entry inserted twice is inserted once: so an event is neither lost
 * when Kafka or the writer fails, nor published for a change that did not happen.
 */
export const STALE_INTENT_MS = 30_000;

const DUPLICATE_KEY = 11000;

export interface OutboxRepository {
  recordIntent(intent: ChangeIntentRecord): Promise<void>;
  /** Forgets an intent: its change did not happen, or its event is already enqueued. */
  discardIntent(id: string): Promise<void>;
  /** Makes the intent's event publishable; enqueueing an event twice keeps one entry. */
  enqueue(intent: ChangeIntentRecord): Promise<void>;
  intentsOf(entityId: string): Promise<ChangeIntentRecord[]>;
  /** Whether an event of `type` about `subjectId`, other than `exceptId`, is enqueued. */
  hasOtherEntry(subjectId: string, type: string, exceptId: string): Promise<boolean>;
  /** Intents recorded before `createdBefore`, oldest first. */
  staleIntents(createdBefore: Date, limit: number): Promise<ChangeIntentRecord[]>;
  /** Events waiting to be published, oldest first. */
  ready(limit: number): Promise<OutboxEntryRecord[]>;
  markPublished(ids: readonly string[], publishedAt: Date): Promise<void>;
  /** Sets aside entries that are not valid events, so they never hold up the others. */
  markRejected(ids: readonly string[]): Promise<void>;
  /** Drops entries published before `publishedBefore` (FerretDB 1.x has no TTL indexes). */
  forgetPublished(publishedBefore: Date): Promise<void>;
  /** How many entries wait to be published, and the oldest one's time (for the metrics). */
  backlog(): Promise<OutboxBacklog>;
}

/** The event's stored form: `data` as JSON text (records.ts, StoredEvent). */
export function storedEvent({ data, ...envelope }: AnyEventEnvelope): StoredEvent {
  return { ...envelope, dataJson: JSON.stringify(data) };
}

/** The event a stored form holds, in either form. */
export function eventOf(stored: StoredEvent): AnyEventEnvelope {
  if (!('dataJson' in stored)) return stored;
  const { dataJson, ...envelope } = stored;
  let data: unknown = null;
  try {
    data = JSON.parse(dataJson);
  } catch {
    // Left null: the relay sets the entry aside as not a valid event (outboxStore).
  }
  return { ...envelope, data } as AnyEventEnvelope;
}

const intentOf = (stored: StoredIntentRecord): ChangeIntentRecord => ({
  ...stored,
  event: eventOf(stored.event),
});
const entryOf = (stored: StoredOutboxEntryRecord): OutboxEntryRecord => ({
  ...stored,
  event: eventOf(stored.event),
});

export function outboxRepository(
  intents: Collection<StoredIntentRecord>,
  entries: Collection<StoredOutboxEntryRecord>,
  query: StoreQuery,
): OutboxRepository {
  return {
    async recordIntent(intent) {
      // The request's trace, kept with the event for the relay (and for a reconciler's enqueue).
      const traceContext = intent.traceContext ?? traceCarrier();
      await query(intents, 'insertOne', () =>
        intents.insertOne({
          ...intent,
          event: storedEvent(intent.event),
          ...(traceContext ? { traceContext } : {}),
        }),
      );
    },

    async discardIntent(id) {
      await query(intents, 'deleteOne', () => intents.deleteOne({ _id: id }));
    },

    async enqueue({ _id, event, createdAt, traceContext = traceCarrier() }) {
      try {
        await query(entries, 'insertOne', () =>
          entries.insertOne({
            _id,
            event: storedEvent(event),
            status: 'ready',
            createdAt,
            ...(traceContext ? { traceContext } : {}),
          }),
        );
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
    },

    intentsOf: async (entityId) =>
      (
        await query(intents, 'find', () => intents.find({ 'check.entityId': entityId }).toArray())
      ).map(intentOf),

    async hasOtherEntry(subjectId, type, exceptId) {
      const entry = await query(entries, 'findOne', () =>
        entries.findOne(
          { 'event.subject.id': subjectId, 'event.type': type, _id: { $ne: exceptId } },
          { projection: { _id: 1 } },
        ),
      );
      return entry !== null;
    },

    staleIntents: async (createdBefore, limit) =>
      (
        await query(intents, 'find', () =>
          intents
            .find({ createdAt: { $lt: createdBefore } })
            .sort({ createdAt: 1, _id: 1 })
            .limit(limit)
            .toArray(),
        )
      ).map(intentOf),

    ready: async (limit) =>
      (
        await query(entries, 'find', () =>
          entries.find({ status: 'ready' }).sort({ createdAt: 1, _id: 1 }).limit(limit).toArray(),
        )
      ).map(entryOf),

    async markPublished(ids, publishedAt) {
      await query(entries, 'updateMany', () =>
        entries.updateMany(
          { _id: { $in: [...ids] } },
          { $set: { status: 'published', publishedAt } },
        ),
      );
    },

    async markRejected(ids) {
      await query(entries, 'updateMany', () =>
        entries.updateMany({ _id: { $in: [...ids] } }, { $set: { status: 'rejected' } }),
      );
    },

    async forgetPublished(publishedBefore) {
      await query(entries, 'deleteMany', () =>
        entries.deleteMany({ status: 'published', publishedAt: { $lt: publishedBefore } }),
      );
    },

    // Read when /metrics is scraped, so not through `query`: data_store_queries_total counts
    // what requests cause (tests compare it before and after a request).
    async backlog() {
      const [pending, oldest] = await Promise.all([
        entries.countDocuments({ status: 'ready' }),
        entries.findOne(
          { status: 'ready' },
          { sort: { createdAt: 1, _id: 1 }, projection: { createdAt: 1 } },
        ),
      ]);
      return { pending, oldestCreatedAt: oldest?.createdAt };
    },
  };
}

/** Published events are kept this long (for inspection and late duplicates), then dropped. */
const PUBLISHED_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export interface OutboxStoreOptions {
  /**
   * Resolves the intents left behind by writers that died (step 5 above), so their events are
   * published too; run before every poll. subgraph.ts passes domain/outbox-reconciler.ts.
   */
  reconcile: (now: Date) => Promise<unknown>;
  logger: Logger;
}

/**
 * The relay's side of the outbox (the OutboxStore port of @platform/events). Each poll first
 * reconciles stale intents, and now and then sweeps out long-published entries. An entry that is
 * not a valid event is set aside rather than sent, so it cannot stop the relay.
 */
export function outboxStore(
  outbox: OutboxRepository,
  { reconcile, logger }: OutboxStoreOptions,
): OutboxStore {
  let lastSweep = 0;
  return {
    async pending(limit) {
      const now = new Date();
      await reconcile(now);
      if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
        await outbox.forgetPublished(new Date(now.getTime() - PUBLISHED_RETENTION_MS));
        lastSweep = now.getTime();
      }
      const entries = await outbox.ready(limit);
      const rejected = entries.filter((entry) => !isValid(entry, logger));
      if (rejected.length > 0) {
        await outbox.markRejected(rejected.map((entry) => entry._id));
      }
      return entries
        .filter((entry) => !rejected.includes(entry))
        .map(({ _id, event, traceContext }) => ({ outboxId: _id, event, traceContext }));
    },
    markPublished: (outboxIds) => outbox.markPublished(outboxIds, new Date()),
    backlog: () => outbox.backlog(),
  };
}

function isValid(entry: OutboxEntryRecord, logger: Logger): boolean {
  try {
    parseEvent(entry.event);
    return true;
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    logger.error(
      { outboxId: entry._id, reason: error.reason },
      'outbox entry is not a valid event',
    );
    return false;
  }
}
