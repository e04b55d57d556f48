import type { Database } from '@platform/postgres';

export interface ProjectStats {
  projectId: string;
  documents: number;
  edits: number;
  activeEditorsLast7Days: number;
  lastActivityAt: Date | null;
}

export function projectStatsRepository(db: Database) {
  return {
    /**
     * The stats of every requested project in one query, zeros for a project no event named.
     * Active editors are the distinct editors on `editorsSince` (a UTC day) or later.
     */
    findByProjectIds(projectIds: readonly string[], editorsSince: Date): Promise<ProjectStats[]> {
      return db.query<ProjectStats>(
        `SELECT p.id AS "projectId",
                GREATEST(COALESCE(s.documents, 0), 0) AS documents,
                COALESCE(s.edits, 0) AS edits,
                s.last_activity_at AS "lastActivityAt",
                (SELECT count(DISTINCT e.user_id)::int FROM editor_activity e
                 WHERE e.project_id = p.id AND e.day >= $2::date) AS "activeEditorsLast7Days"
         FROM unnest($1::text[]) AS p(id)
         LEFT JOIN project_stats s ON s.project_id = p.id`,
        [projectIds, editorsSince.toISOString().slice(0, 10)],
      );
    },
  };
}

export type ProjectStatsRepository = ReturnType<typeof projectStatsRepository>;
