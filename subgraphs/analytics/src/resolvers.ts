// The resolver map type buildSubgraphSchema takes; @apollo/subgraph does not re-export it at its root.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { DateTimeResolver } from 'graphql-scalars';
import type { AnalyticsContext } from './context.js';
import type { MetricSeriesArgs } from './domain/metric-series.js';
import type { TimeRange } from './time-buckets.js';

type Context = AnalyticsContext;

/** A federation reference: all this subgraph needs of a Project or User is its id. */
interface Reference {
  id: string;
}

/** Thin: each field hands its arguments to the domain and returns what it answers. */
export const resolvers: GraphQLResolverMap<AnalyticsContext> = {
  DateTime: DateTimeResolver,

  Query: {
    metrics: (_: unknown, args: MetricSeriesArgs, ctx: Context) =>
      ctx.domain.metrics.series(ctx, args),
    topProjects: (
      _: unknown,
      args: { range?: TimeRange | null; first?: number | null },
      ctx: Context,
    ) => ctx.domain.projects.top(ctx, args),
  },

  Project: {
    __resolveReference: (reference: Reference) => ({ id: reference.id }),
    stats: (project: Reference, _: unknown, ctx: Context) =>
      ctx.domain.projects.stats(ctx, project.id),
  },

  User: {
    __resolveReference: (reference: Reference) => ({ id: reference.id }),
    activity: (user: Reference, args: { range?: TimeRange | null }, ctx: Context) =>
      ctx.domain.users.activity(ctx, user.id, args.range),
  },
};
