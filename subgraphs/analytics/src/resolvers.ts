import { DateTimeAcceptingAnyInput } from './date-time-scalar.js';
import type { Resolvers } from './generated/resolvers-types.js';

/**
 * Thin: each field hands its arguments to the domain and returns what it answers. Argument,
 * parent and context types come from the generated `Resolvers` (npm run codegen); all this
 * subgraph needs of a Project or User is its id.
 */
export const resolvers: Resolvers = {
  DateTime: DateTimeAcceptingAnyInput,

  Query: {
    metrics: (_, args, ctx) => ctx.domain.metrics.series(ctx, args),
    topProjects: (_, args, ctx) => ctx.domain.projects.top(ctx, args),
  },

  Project: {
    __resolveReference: (reference) => ({ id: reference.id }),
    stats: (project, _, ctx) => ctx.domain.projects.stats(ctx, project.id),
  },

  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    activity: (user, args, ctx) => ctx.domain.users.activity(ctx, user.id, args.range),
  },
};
