import type { ActivityGranularity } from '../time-buckets.js';
import type { Database } from '@platform/postgres';

export interface ActivityWindow {
  userId: string;
  granularity: ActivityGranularity;
  since: Date;
  until: Date;
}

export interface ActivitySummary {
  documentsCreated: number;
  documentEdits: number;
  projectsCreated: number;
  lastActiveAt: Date | null;
}

export function userActivityRepository(db: Database) {
  return {
    /**
     * Sums each user's activity buckets from `since` to `until`, for many (user, window) pairs in one
     * query; the result is in the order of `windows`, zeros for a user with no activity.
     */
    async summarize(windows: readonly ActivityWindow[]): Promise<ActivitySummary[]> {
      const rows = await db.query<ActivitySummary & { position: string }>(
        `SELECT k.position,
                COALESCE(sum(a.documents_created), 0)::int AS "documentsCreated",
                COALESCE(sum(a.document_edits), 0)::int AS "documentEdits",
                COALESCE(sum(a.projects_created), 0)::int AS "projectsCreated",
                max(a.last_active_at) AS "lastActiveAt"
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
           WITH ORDINALITY AS k(user_id, granularity, since, until, position)
         LEFT JOIN user_activity a
           ON a.user_id = k.user_id AND a.granularity = k.granularity AND a.bucket BETWEEN k.since AND k.until
         GROUP BY k.position
         ORDER BY k.position`,
        [
          windows.map((window) => window.userId),
          windows.map((window) => window.granularity),
          windows.map((window) => window.since.toISOString()),
          windows.map((window) => window.until.toISOString()),
        ],
      );
      return rows.map(({ position: _position, ...summary }) => summary);
    },
  };
}

export type UserActivityRepository = ReturnType<typeof userActivityRepository>;
