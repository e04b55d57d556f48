import type { AnyEventEnvelope, OutboxStore } from '@platform/events';
import type { Database } from '@platform/postgres';
import { traceCarrier, type TraceCarrier } from '@platform/telemetry';

/**
 * Records events; used only inside the transaction that makes the change they describe. Each row
 * keeps the trace context of the request that recorded it, which the relay's message continues.
 */
export function outboxRepository(db: Database) {
  return {
    async append(event: AnyEventEnvelope): Promise<void> {
      await db.query('INSERT INTO outbox (event, trace_context) VALUES ($1, $2)', [
        JSON.stringify(event),
        JSON.stringify(traceCarrier() ?? null),
      ]);
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
      const rows = await db.query<{
        outboxId: string;
        event: AnyEventEnvelope;
        traceContext: TraceCarrier | null;
      }>(
        `SELECT id::text AS "outboxId", event, trace_context AS "traceContext" FROM outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [limit],
      );
      // Rows hold envelopes createEvent validated before they were written.
      return rows.map(({ traceContext, ...row }) => ({
        ...row,
        traceContext: traceContext ?? undefined,
      }));
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
