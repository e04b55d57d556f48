import type { AnyEventEnvelope, OutboxStore } from '@platform/events';
import type { Database } from '@platform/postgres';

/** Records events; used only inside the transaction that makes the change they describe. */
export function outboxRepository(db: Database) {
  return {
    async append(event: AnyEventEnvelope): Promise<void> {
      await db.query('INSERT INTO outbox (event) VALUES ($1)', [JSON.stringify(event)]);
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;

/**
 * The relay's side of the outbox (the OutboxStore port of @platform/events).
 *
 * `pending` takes no lock: row locks would end with the SELECT's transaction, long before the
 * relay has published, so they could not keep two instances off the same rows anyway. Two
 * instances may therefore both publish an event that neither has marked yet. That is accepted:
 * delivery is at least once and consumers are idempotent by event id.
 */
export function outboxStore(db: Database): OutboxStore {
  return {
    async pending(limit) {
      const rows = await db.query<{ outboxId: string; event: AnyEventEnvelope }>(
        `SELECT id::text AS "outboxId", event FROM outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [limit],
      );
      // Rows hold envelopes createEvent validated before they were written.
      return rows;
    },

    async markPublished(outboxIds) {
      await db.query(
        `UPDATE outbox SET published_at = now()
         WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
        [outboxIds],
      );
    },

    async backlog() {
      const [row] = await db.query<{ pending: number; oldest: Date | null }>(
        `SELECT count(*)::int AS pending, min(created_at) AS oldest FROM outbox
         WHERE published_at IS NULL`,
      );
      return { pending: row?.pending ?? 0, oldestCreatedAt: row?.oldest ?? undefined };
    },
  };
}
