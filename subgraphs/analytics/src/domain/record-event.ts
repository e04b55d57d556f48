import type pg from 'pg';
import type { AnyEventEnvelope } from '@platform/events';
import type { EventOutcome } from '../metrics.js';
import { inRollupTransaction, rollupWrites as writes } from '../repositories/rollup-writes.js';
import { rollupsOf } from './rollups.js';

/**
 * Applies one event to every rollup in one transaction, exactly once per event id: the id is
 * claimed first, and an id already claimed commits nothing else ('duplicate'). Resolves only
 * after COMMIT, so the consumer commits the Kafka offset only once the counts are durable. A
 * transaction aborted by a conflict with a concurrent one is run again (inRollupTransaction).
 */
export function recordEvent(pool: pg.Pool, event: AnyEventEnvelope): Promise<EventOutcome> {
  const at = new Date(event.occurredAt);
  const rollups = rollupsOf(event);
  return inRollupTransaction(pool, async (tx) => {
    const claimed = await writes.claimEvent(tx, { id: event.id, type: event.type, occurredAt: at });
    if (claimed) {
      await writes.countInMetrics(tx, rollups.metricNames, at);
      if (rollups.project) await writes.addToProject(tx, rollups.project, at);
      if (rollups.user) await writes.addToUser(tx, rollups.user, at);
    }
    return claimed ? 'applied' : 'duplicate';
  });
}
