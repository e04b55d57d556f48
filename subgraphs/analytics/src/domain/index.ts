import type { Repositories } from '../repositories/index.js';
import { metricSeriesService, type MetricSeriesService } from './metric-series.js';
import { projectService, type ProjectService } from './projects.js';
import { userService, type UserService } from './users.js';

/** The analytics subgraph's operations; resolvers call these and nothing else. */
export interface Domain {
  metrics: MetricSeriesService;
  projects: ProjectService;
  users: UserService;
}

export function createDomain(repositories: Repositories): Domain {
  return {
    metrics: metricSeriesService(repositories.metricBuckets),
    projects: projectService(repositories.projectActivity),
    users: userService(),
  };
}
