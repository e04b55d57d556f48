import type { Client } from '../client.js';
import * as ops from '../generated/operations.js';

/** Activity and metrics (the analytics subgraph). */
export function analyticsNamespace(client: Client) {
  return {
    topProjects: async (variables: ops.TopProjectsQueryVariables = {}) =>
      (await client.request(ops.TopProjectsDocument, variables)).topProjects,
    /** A project's stats; null when the project is not visible. */
    projectStats: async (id: string) =>
      (await client.request(ops.ProjectStatsDocument, { id })).project?.stats ?? null,
    /** A user's activity in a range; null when the user is not visible. */
    userActivity: async (variables: ops.UserActivityQueryVariables) =>
      (await client.request(ops.UserActivityDocument, variables)).user?.activity ?? null,
    /** Counts of an event type per bucket (administrators only). */
    metrics: async (variables: ops.MetricsQueryVariables) =>
      (await client.request(ops.MetricsDocument, variables)).metrics,
  };
}
