import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from './generated/resolvers-types.js';

/**
 * A membership's organization and user exist (foreign keys), so their loaders find them; were one
 * gone, GraphQL would answer its non-null field with an error, as before these types.
 */
const exists = <Entity>(entity: Promise<Entity | null>) => entity as Promise<Entity>;

/**
 * Thin: each field hands its arguments to the domain and returns what it answers. Argument,
 * parent and context types come from the generated `Resolvers` (npm run codegen).
 */
export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  /** API key scopes are lower case inside the platform (`Scope`), upper case in the schema. */
  ApiKeyScope: { READ: 'read', WRITE: 'write' },

  Query: {
    me: (_, __, ctx) => ctx.domain.users.me(ctx),
    user: (_, args, ctx) => ctx.domain.users.user(ctx, args.id),
    users: (_, args, ctx) => ctx.domain.users.list(ctx, args),
    organization: (_, args, ctx) => ctx.domain.organizations.find(ctx, args.id),
    apiKeys: (_, __, ctx) => ctx.domain.apiKeys.list(ctx),
  },

  Mutation: {
    signUp: (_, args, ctx) => ctx.domain.accounts.signUp(args),
    login: (_, args, ctx) => ctx.domain.accounts.login(args),
    refreshSession: (_, args, ctx) => ctx.domain.sessions.refresh(args.refreshToken),
    signOut: (_, args, ctx) => ctx.domain.sessions.signOut(args.refreshToken),
    changePassword: (_, args, ctx) => ctx.domain.accounts.changePassword(ctx, args),
    setUserRole: (_, args, ctx) => ctx.domain.roles.setRole(ctx, args),
    createOrganization: (_, args, ctx) => ctx.domain.organizations.create(ctx, args),
    addOrganizationMember: (_, args, ctx) => ctx.domain.organizations.addMember(ctx, args),
    createApiKey: (_, args, ctx) => ctx.domain.apiKeys.create(ctx, args),
    revokeApiKey: (_, args, ctx) => ctx.domain.apiKeys.revoke(ctx, args.id),
  },

  User: {
    __resolveReference: (reference, ctx) => ctx.domain.users.reference(ctx, reference),
    email: (user, _, ctx) => ctx.domain.users.email(ctx, user),
    // Asked of this subgraph only on `me` and AuthPayload.user (@provides): the caller's own
    // account, whose e-mail needs no shared project. The data subgraph answers it everywhere else.
    sharesProjectWithViewer: () => false,
    memberships: (user, _, ctx) => ctx.domain.organizations.membershipsOf(ctx, user.id),
  },

  Organization: {
    __resolveReference: (reference, ctx) => ctx.domain.organizations.reference(ctx, reference.id),
    members: (organization, args, ctx) => ctx.domain.organizations.members(organization.id, args),
  },

  OrganizationMembership: {
    organization: (membership, _, ctx) =>
      exists(ctx.loaders.organization.load(membership.organizationId)),
    user: (membership, _, ctx) => exists(ctx.loaders.user.load(membership.userId)),
  },
};
