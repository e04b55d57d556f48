import type pg from 'pg';
import type { ProjectRollup, UserRollup } from '../domain/rollups.js';
import {
  ACTIVITY_GRANULARITIES,
  GRANULARITIES,
  bucketStart,
  type Granularity,
} from '../time-buckets.js';

/** A connection inside the event's transaction. */
export type Transaction = Pick<pg.PoolClient, 'query'>;

/** Conflicts between concurrent transactions that succeed when simply run again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const ATTEMPTS = 3;

/**
 * Runs `work` (the writes of one event) in one transaction on a connection of `pool`, and runs it
 * again, up to ATTEMPTS times, when PostgreSQL aborts it for a serialization failure or a
 * deadlock. Resolves only after COMMIT.
 */
export async function inRollupTransaction<Result>(
  pool: pg.Pool,
  work: (tx: Transaction) => Promise<Result>,
): Promise<Result> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transactionOnce(pool, work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}

async function transactionOnce<Result>(
  pool: pg.Pool,
  work: (tx: Transaction) => Promise<Result>,
): Promise<Result> {
  const tx = await pool.connect();
  let broken = false;
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => {
      broken = true; // do not hand a connection in an unknown state back to the pool
    });
    throw error;
  } finally {
    tx.release(broken);
  }
}

interface Buckets {
  granularities: Granularity[];
  /** ISO strings: UTC whatever the process's or the session's time zone. */
  buckets: string[];
}

function bucketsOf(at: Date, granularities: readonly Granularity[]): Buckets {
  return {
    granularities: [...granularities],
    buckets: granularities.map((granularity) => bucketStart(at, granularity).toISOString()),
  };
}

/**
 * The writes of one event's rollups. Each is an upsert that adds to what is there, so the order of
 * events does not matter; rows are always locked in the same order (table by table, then by key),
 * so concurrent consumers do not deadlock each other.
 */
export const rollupWrites = {
  /** Claims the event id; false when it was processed before (nothing else must change). */
  async claimEvent(
    tx: Transaction,
    event: { id: string; type: string; occurredAt: Date },
  ): Promise<boolean> {
    const result = await tx.query(
      `INSERT INTO processed_events (event_id, type, occurred_at) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO NOTHING`,
      [event.id, event.type, event.occurredAt.toISOString()],
    );
    return result.rowCount === 1;
  },

  async countInMetrics(tx: Transaction, names: string[], at: Date): Promise<void> {
    const { granularities, buckets } = bucketsOf(at, GRANULARITIES);
    await tx.query(
      `INSERT INTO metric_buckets (name, granularity, bucket, value)
       SELECT n.name, g.granularity, g.bucket, 1
       FROM unnest($1::text[]) AS n(name)
       CROSS JOIN unnest($2::text[], $3::timestamptz[]) AS g(granularity, bucket)
       ORDER BY n.name, g.granularity
       ON CONFLICT (name, granularity, bucket) DO UPDATE SET value = metric_buckets.value + 1`,
      [names, granularities, buckets],
    );
  },

  async addToProject(tx: Transaction, project: ProjectRollup, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO project_stats (project_id, documents, edits, last_activity_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id) DO UPDATE SET
         documents = project_stats.documents + EXCLUDED.documents,
         edits = project_stats.edits + EXCLUDED.edits,
         last_activity_at = GREATEST(project_stats.last_activity_at, EXCLUDED.last_activity_at)`,
      [project.projectId, project.documents, project.edits, at.toISOString()],
    );
    const { granularities, buckets } = bucketsOf(at, ACTIVITY_GRANULARITIES);
    await tx.query(
      `INSERT INTO project_activity (project_id, granularity, bucket, events)
       SELECT $1, g.granularity, g.bucket, 1
       FROM unnest($2::text[], $3::timestamptz[]) AS g(granularity, bucket)
       ORDER BY g.granularity
       ON CONFLICT (project_id, granularity, bucket)
       DO UPDATE SET events = project_activity.events + 1`,
      [project.projectId, granularities, buckets],
    );
    if (project.memberIds.length > 0) {
      await tx.query(
        `INSERT INTO project_members (project_id, user_id, last_named_at)
         SELECT $1, m.user_id, $3 FROM unnest($2::text[]) AS m(user_id) ORDER BY m.user_id
         ON CONFLICT (project_id, user_id) DO UPDATE SET last_named_at =
           GREATEST(project_members.last_named_at, EXCLUDED.last_named_at)`,
        [project.projectId, project.memberIds, at.toISOString()],
      );
    }
    if (project.removedMemberId) {
      await tx.query(
        `INSERT INTO project_member_removals (project_id, user_id, removed_at) VALUES ($1, $2, $3)
         ON CONFLICT (project_id, user_id) DO UPDATE SET removed_at =
           GREATEST(project_member_removals.removed_at, EXCLUDED.removed_at)`,
        [project.projectId, project.removedMemberId, at.toISOString()],
      );
    }
    if (project.deleted) {
      await tx.query(
        `INSERT INTO deleted_projects (project_id, deleted_at) VALUES ($1, $2)
         ON CONFLICT DO NOTHING`,
        [project.projectId, at.toISOString()],
      );
    }
    if (project.editorId) {
      await tx.query(
        `INSERT INTO editor_activity (project_id, user_id, day) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [project.projectId, project.editorId, bucketStart(at, 'DAY').toISOString().slice(0, 10)],
      );
    }
  },

  async addToUser(tx: Transaction, user: UserRollup, at: Date): Promise<void> {
    const { granularities, buckets } = bucketsOf(at, ACTIVITY_GRANULARITIES);
    await tx.query(
      `INSERT INTO user_activity (user_id, granularity, bucket, documents_created, document_edits,
                                  projects_created, last_active_at)
       SELECT $1, g.granularity, g.bucket, $4, $5, $6, $7
       FROM unnest($2::text[], $3::timestamptz[]) AS g(granularity, bucket)
       ORDER BY g.granularity
       ON CONFLICT (user_id, granularity, bucket) DO UPDATE SET
         documents_created = user_activity.documents_created + EXCLUDED.documents_created,
         document_edits = user_activity.document_edits + EXCLUDED.document_edits,
         projects_created = user_activity.projects_created + EXCLUDED.projects_created,
         last_active_at = GREATEST(user_activity.last_active_at, EXCLUDED.last_active_at)`,
      [
        user.userId,
        granularities,
        buckets,
        user.documentsCreated,
        user.documentEdits,
        user.projectsCreated,
        at.toISOString(),
      ],
    );
  },
};
