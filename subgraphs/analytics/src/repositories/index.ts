import type { Database } from '@platform/postgres';
import { metricBucketRepository, type MetricBucketRepository } from './metric-buckets.js';
import { projectActivityRepository, type ProjectActivityRepository } from './project-activity.js';
import { projectStatsRepository, type ProjectStatsRepository } from './project-stats.js';
import { userActivityRepository, type UserActivityRepository } from './user-activity.js';

/** The read side of the rollups; the write side is `rollup-writes.ts`, used inside transactions. */
export interface Repositories {
  metricBuckets: MetricBucketRepository;
  projectStats: ProjectStatsRepository;
  projectActivity: ProjectActivityRepository;
  userActivity: UserActivityRepository;
}

export function createRepositories(db: Database): Repositories {
  return {
    metricBuckets: metricBucketRepository(db),
    projectStats: projectStatsRepository(db),
    projectActivity: projectActivityRepository(db),
    userActivity: userActivityRepository(db),
  };
}
