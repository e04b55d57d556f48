import type { ActivityGranularity } from '../time-buckets.js';
import type { Database } from '@platform/postgres';

export interface ProjectEvents {
  projectId: string;
  events: number;
}

export interface TopProjectsQuery {
  granularity: ActivityGranularity;
  since: Date;
  until: Date;
  limit: number;
  /** Only projects this user is a member of now; every project when absent. Never deleted ones. */
  memberId?: string;
}

export function projectActivityRepository(db: Database) {
  return {
    /** Projects by their number of events in the buckets since..until, most first (ties by id). */
    top({
      granularity,
      since,
      until,
      limit,
      memberId,
    }: TopProjectsQuery): Promise<ProjectEvents[]> {
      return db.query<ProjectEvents>(
        `SELECT a.project_id AS "projectId", sum(a.events)::float8 AS events
         FROM project_activity a
         WHERE a.granularity = $1 AND a.bucket BETWEEN $2 AND $5
           AND NOT EXISTS (SELECT 1 FROM deleted_projects d WHERE d.project_id = a.project_id)
           AND ($4::text IS NULL OR EXISTS (
             SELECT 1 FROM project_members m WHERE m.project_id = a.project_id AND m.user_id = $4
               AND NOT EXISTS (
                 SELECT 1 FROM project_member_removals r
                 WHERE r.project_id = m.project_id AND r.user_id = m.user_id
                   AND r.removed_at >= COALESCE(m.last_named_at, '-infinity')
               )
           ))
         GROUP BY a.project_id
         ORDER BY events DESC, a.project_id
         LIMIT $3`,
        [granularity, since.toISOString(), limit, memberId ?? null, until.toISOString()],
      );
    },
  };
}

export type ProjectActivityRepository = ReturnType<typeof projectActivityRepository>;
