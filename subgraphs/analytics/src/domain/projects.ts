import { badUserInput } from '@platform/errors';
import { isAdmin, requireScope } from '@platform/identity';
import type { ProjectActivityRepository } from '../repositories/project-activity.js';
import type { ProjectStats } from '../repositories/project-stats.js';
import { rangeWindow, type TimeRange } from '../time-buckets.js';
import type { RequestScope } from './request-scope.js';

export const DEFAULT_RANGE: TimeRange = 'LAST_7_DAYS';
export const DEFAULT_TOP = 10;
export const MAX_TOP = 100;

export interface TopProject {
  /** A reference the gateway resolves through the data subgraph. */
  project: { __typename: 'Project'; id: string };
  events: number;
}

/** Per-project analytics. */
export function projectService(activity: ProjectActivityRepository) {
  return {
    /**
     * The caller's projects (every project, for administrators) by their number of events in
     * the range, most first. Membership comes from the project_members projection of the events.
     */
    async top(
      { principal }: Pick<RequestScope, 'principal'>,
      args: { range?: TimeRange | null; first?: number | null },
    ): Promise<TopProject[]> {
      const caller = requireScope(principal, 'read');
      const limit = args.first ?? DEFAULT_TOP;
      if (limit < 1 || limit > MAX_TOP) {
        throw badUserInput(`first must be between 1 and ${MAX_TOP}`, 'first');
      }
      const rows = await activity.top({
        ...rangeWindow(args.range ?? DEFAULT_RANGE),
        limit,
        memberId: isAdmin(caller) ? undefined : caller.userId,
      });
      return rows.map(({ projectId, events }) => ({
        project: { __typename: 'Project', id: projectId },
        events,
      }));
    },

    /**
     * Stats of a project the data subgraph already let the caller see (the only way to reach a
     * Project here is through the gateway's plan), so the read scope is all it takes.
     */
    stats({ principal, loaders }: RequestScope, projectId: string): Promise<ProjectStats> {
      requireScope(principal, 'read');
      return loaders.projectStats.load(projectId);
    },
  };
}

export type ProjectService = ReturnType<typeof projectService>;
