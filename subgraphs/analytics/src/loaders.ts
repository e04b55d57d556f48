import DataLoader from 'dataloader';
import type { AnalyticsMetrics } from './metrics.js';
import type { Repositories } from './repositories/index.js';
import type { ProjectStats } from './repositories/project-stats.js';
import type { ActivitySummary } from './repositories/user-activity.js';
import { firstDayOfLastWeek, rangeWindow, type TimeRange } from './time-buckets.js';

export interface ActivityKey {
  userId: string;
  range: TimeRange;
}

export interface UserActivity extends ActivitySummary {
  range: TimeRange;
}

/**
 * Per-request batching: every `Project.stats` of a request is one `project_id = ANY($1)` query,
 * every `User.activity` one query, however many entities the gateway sends. Created per request,
 * so nothing is cached across callers.
 */
export interface Loaders {
  projectStats: DataLoader<string, ProjectStats>;
  userActivity: DataLoader<ActivityKey, UserActivity, string>;
}

export function createLoaders(
  repositories: Repositories,
  { referenceBatches }: Pick<AnalyticsMetrics, 'referenceBatches'>,
  now: () => Date = () => new Date(),
): Loaders {
  return {
    projectStats: new DataLoader(async (projectIds) => {
      referenceBatches.inc({ type: 'Project' });
      const rows = await repositories.projectStats.findByProjectIds(
        projectIds,
        firstDayOfLastWeek(now()),
      );
      const byId = new Map(rows.map((row) => [row.projectId, row]));
      return projectIds.map((projectId) => byId.get(projectId) ?? zeroStats(projectId));
    }),

    userActivity: new DataLoader(
      async (keys) => {
        referenceBatches.inc({ type: 'User' });
        const at = now();
        const summaries = await repositories.userActivity.summarize(
          keys.map(({ userId, range }) => ({ userId, ...rangeWindow(range, at) })),
        );
        return keys.map(({ range }, index) => ({ range, ...summaries[index]! }));
      },
      { cacheKeyFn: ({ userId, range }) => `${range}:${userId}` },
    ),
  };
}

function zeroStats(projectId: string): ProjectStats {
  return { projectId, documents: 0, edits: 0, activeEditorsLast7Days: 0, lastActivityAt: null };
}
