import type pg from 'pg';
import type { AnyEventEnvelope } from '@platform/events';
import type { EventOutcome } from '../metrics.js';
import { rollupWrites as writes } from '../repositories/rollup-writes.js';
import { rollupsOf } from './rollups.js';

/** Conflicts between concurrent transactions that succeed when simply run again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const ATTEMPTS = 3;

/**
 * Applies one event to every rollup in one transaction, exactly once per event id: the id is
 * claimed first, and an id already claimed commits nothing else ('duplicate'). Resolves only
 * after COMMIT, so the consumer commits the Kafka offset only once the counts are durable.
 */
export async function recordEvent(pool: pg.Pool, event: AnyEventEnvelope): Promise<EventOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await recordOnce(pool, event);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}

async function recordOnce(pool: pg.Pool, event: AnyEventEnvelope): Promise<EventOutcome> {
  const at = new Date(event.occurredAt);
  const rollups = rollupsOf(event);
  const tx = await pool.connect();
  let broken = false;
  try {
    await tx.query('BEGIN');
    const claimed = await writes.claimEvent(tx, { id: event.id, type: event.type, occurredAt: at });
    if (claimed) {
      await writes.countInMetrics(tx, rollups.metricNames, at);
      if (rollups.project) await writes.addToProject(tx, rollups.project, at);
      if (rollups.user) await writes.addToUser(tx, rollups.user, at);
    }
    await tx.query('COMMIT');
    return claimed ? 'applied' : 'duplicate';
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => {
      broken = true; // do not hand a connection in an unknown state back to the pool
    });
    throw error;
  } finally {
    tx.release(broken);
  }
}
