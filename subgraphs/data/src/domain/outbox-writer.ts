import type { AnyEventEnvelope } from '@platform/events';
import type { Logger } from '@platform/logger';
import type {
  ChangeCheck,
  ChangeIntentRecord,
  EntityCollection,
  Repositories,
} from '../repositories/index.js';
import { changeHappened, claimsOf } from './change-visibility.js';

/**
 * How a mutation writes the event of its change (built in events.ts) to the outbox: exactly when
 * the change happens, whether or not Kafka is up (see repositories/outbox.ts for the protocol and
 * why it needs no transaction).
 */
export interface OutboxWriter {
  /**
   * Records the intent of `event`, runs `change`, and enqueues the event when `change` returns a
   * row. `change` returns null when it certainly changed nothing (a lost claim, a condition that
   * did not match): the intent is discarded. When it throws, the intent stays for the reconciler,
   * which reads from the store whether the change happened.
   */
  record<Row>(
    event: AnyEventEnvelope,
    check: ChangeCheck,
    change: () => Promise<Row | null>,
  ): Promise<Row | null>;
  /**
   * Enqueues the events of the entity's earlier changes that are visible but not yet enqueued
   * (their writers died or are still finishing), except `changeId`'s. A deleter calls it while it
   * holds the entity's next version, before the entity and its ledger disappear.
   */
  settle(collection: EntityCollection, entityId: string, changeId: string): Promise<void>;
}

export function outboxWriter(
  repositories: Repositories,
  logger: Logger,
  onEnqueued: () => void,
): OutboxWriter {
  const { outbox } = repositories;
  return {
    async record(event, check, change) {
      const intent: ChangeIntentRecord = {
        _id: event.id,
        event,
        check,
        createdAt: new Date(event.occurredAt),
      };
      await outbox.recordIntent(intent);
      const row = await change();
      if (row === null) {
        await outbox.discardIntent(intent._id).catch((error: unknown) => {
          logger.warn({ err: error, eventId: event.id }, 'intent left to the outbox reconciler');
        });
        return null;
      }
      try {
        await enqueueEvent(repositories, intent);
        onEnqueued();
      } catch (error) {
        // The change is made; the reconciler enqueues its event from the intent.
        logger.warn({ err: error, eventId: event.id }, 'event left to the outbox reconciler');
      }
      return row;
    },

    async settle(collection, entityId, changeId) {
      for (const intent of await outbox.intentsOf(entityId)) {
        if (intent._id === changeId || intent.check.collection !== collection) continue;
        if (await changeHappened(repositories, intent)) await enqueueEvent(repositories, intent);
      }
    },
  };
}

/**
 * Makes the event of a change that happened publishable, then forgets its intent. After a
 * deletion, the entity's version ledger goes too: the enqueued event no longer needs it.
 */
export async function enqueueEvent(
  repositories: Repositories,
  intent: ChangeIntentRecord,
): Promise<void> {
  await repositories.outbox.enqueue(intent);
  const { check } = intent;
  if (check.kind === 'deleted')
    await claimsOf(repositories, check.collection).forget(check.entityId);
  await repositories.outbox.discardIntent(intent._id);
}
