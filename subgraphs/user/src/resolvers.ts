// The resolver map type buildSubgraphSchema takes; @apollo/subgraph does not re-export it at its root.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { DateTimeResolver } from 'graphql-scalars';
import type { Scope } from '@platform/identity';
import type { UserContext } from './context.js';
import type { Membership, OrganizationRole } from './repositories/memberships.js';
import type { Organization } from './repositories/organizations.js';
import type { User } from './repositories/users.js';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

type Context = UserContext;

/** Thin: each field hands its arguments to the domain and returns what it answers. */
export const resolvers: GraphQLResolverMap<UserContext> = {
  DateTime: DateTimeResolver,
  /** API key scopes are lower case inside the platform (`Scope`), upper case in the schema. */
  ApiKeyScope: { READ: 'read', WRITE: 'write' } satisfies Record<string, Scope>,

  Query: {
    me: (_: unknown, __: unknown, ctx: Context) => ctx.domain.users.me(ctx),
    user: (_: unknown, args: { id: string }, ctx: Context) => ctx.domain.users.user(ctx, args.id),
    users: (_: unknown, args: PageArgs, ctx: Context) => ctx.domain.users.list(ctx, args),
    organization: (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.domain.organizations.find(ctx, args.id),
    apiKeys: (_: unknown, __: unknown, ctx: Context) => ctx.domain.apiKeys.list(ctx),
  },

  Mutation: {
    signUp: (_: unknown, args: { email: string; name: string; password: string }, ctx: Context) =>
      ctx.domain.accounts.signUp(args),
    login: (_: unknown, args: { email: string; password: string }, ctx: Context) =>
      ctx.domain.accounts.login(args),
    createOrganization: (_: unknown, args: { name: string }, ctx: Context) =>
      ctx.domain.organizations.create(ctx, args),
    addOrganizationMember: (
      _: unknown,
      args: { organizationId: string; userId: string; role: OrganizationRole },
      ctx: Context,
    ) => ctx.domain.organizations.addMember(ctx, args),
    createApiKey: (_: unknown, args: { name: string; scopes: Scope[] }, ctx: Context) =>
      ctx.domain.apiKeys.create(ctx, args),
    revokeApiKey: (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.domain.apiKeys.revoke(ctx, args.id),
  },

  User: {
    __resolveReference: (reference: { id: string }, ctx: Context) =>
      ctx.domain.users.reference(ctx, reference.id),
    memberships: (user: User, _: unknown, ctx: Context) =>
      ctx.domain.organizations.membershipsOf(ctx, user.id),
  },

  Organization: {
    __resolveReference: (reference: { id: string }, ctx: Context) =>
      ctx.domain.organizations.reference(ctx, reference.id),
    members: (organization: Organization, args: PageArgs, ctx: Context) =>
      ctx.domain.organizations.members(organization.id, args),
  },

  OrganizationMembership: {
    organization: (membership: Membership, _: unknown, ctx: Context) =>
      ctx.loaders.organization.load(membership.organizationId),
    user: (membership: Membership, _: unknown, ctx: Context) =>
      ctx.loaders.user.load(membership.userId),
  },
};
