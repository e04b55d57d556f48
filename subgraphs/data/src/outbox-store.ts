import { InvalidEventError, parseEvent, type OutboxStore } from '@platform/events';
import type { Logger } from '@platform/logger';
import { reconcileStaleIntents } from './domain/outbox-reconciler.js';
import type { OutboxEntryRecord, Repositories } from './repositories/index.js';

/** Published events are kept this long (for inspection and late duplicates), then dropped. */
const PUBLISHED_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * The relay's view of the outbox (repositories/outbox.ts). Each poll first resolves intents left
 * behind by writers that died, so their events are published too, and now and then sweeps out
 * long-published entries. An entry that is not a valid event is set aside rather than sent, so it
 * cannot stop the relay.
 */
export function dataOutboxStore(repositories: Repositories, logger: Logger): OutboxStore {
  let lastSweep = 0;
  return {
    async pending(limit) {
      const now = new Date();
      await reconcileStaleIntents(repositories, now, logger);
      if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
        await repositories.outbox.forgetPublished(new Date(now.getTime() - PUBLISHED_RETENTION_MS));
        lastSweep = now.getTime();
      }
      const entries = await repositories.outbox.ready(limit);
      const rejected = entries.filter((entry) => !isValid(entry, logger));
      if (rejected.length > 0) {
        await repositories.outbox.markRejected(rejected.map((entry) => entry._id));
      }
      return entries
        .filter((entry) => !rejected.includes(entry))
        .map(({ _id, event }) => ({ outboxId: _id, event }));
    },
    markPublished: (outboxIds) => repositories.outbox.markPublished(outboxIds, new Date()),
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
