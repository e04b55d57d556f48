import type { Logger } from '@platform/logger';
import { STALE_INTENT_MS, type Repositories } from '../repositories/index.js';
import { enqueueEvent } from './outbox-writer.js';
import { changeHappened } from './change-visibility.js';

const BATCH = 100;

/**
 * Resolves intents older than STALE_INTENT_MS, whose writers died or failed between announcing a
 * change and enqueueing its event: the event is enqueued when the change is visible in the store,
 * and the intent is dropped when it is not. A writer that is only slow enqueues its own event
 * if its change happens after all, so dropping its intent loses nothing. Returns how many stale
 * intents it found.
 */
export async function reconcileStaleIntents(
  repositories: Repositories,
  now: Date,
  logger: Logger,
): Promise<number> {
  const stale = await repositories.outbox.staleIntents(
    new Date(now.getTime() - STALE_INTENT_MS),
    BATCH,
  );
  for (const intent of stale) {
    const about = { eventId: intent._id, check: intent.check };
    try {
      if (await changeHappened(repositories, intent)) {
        await enqueueEvent(repositories, intent);
        logger.info(about, 'enqueued the event of an unfinished change');
      } else {
        await repositories.outbox.discardIntent(intent._id);
        logger.info(about, 'dropped the intent of an unmade change');
      }
    } catch (error) {
      // One intent the store will not resolve must not hold up the others, nor the relay.
      logger.error({ ...about, err: error }, 'cannot resolve an unfinished change yet');
    }
  }
  return stale.length;
}
