import type { Client } from '../client.js';
import { NotFoundError } from '../errors.js';
import * as ops from '../generated/operations.js';
import { paginated } from './pagination.js';

export type UsersConnection = ops.UsersQuery['users'];
export type OrganizationMembersConnection = NonNullable<
  ops.OrganizationMembersQuery['organization']
>['members'];

/** Accounts, sessions, organizations and API keys (the user subgraph). */
export function usersNamespace(client: Client) {
  return {
    signUp: async (variables: ops.SignUpMutationVariables) =>
      (await client.request(ops.SignUpDocument, variables)).signUp,
    login: async (variables: ops.LoginMutationVariables) =>
      (await client.request(ops.LoginDocument, variables)).login,
    /** The caller, with their organization memberships; null for anonymous callers. */
    me: async () => (await client.request(ops.MeDocument)).me,
    user: async (id: string) => (await client.request(ops.UserDocument, { id })).user,
    /** Every user (administrators only), one page. */
    list: paginated(
      async (variables: ops.UsersQueryVariables) =>
        (await client.request(ops.UsersDocument, variables)).users,
    ),
    organization: async (id: string) =>
      (await client.request(ops.OrganizationDocument, { id })).organization,
    /** One page of an organization's members. */
    organizationMembers: paginated(async (variables: ops.OrganizationMembersQueryVariables) => {
      const { organization } = await client.request(ops.OrganizationMembersDocument, variables);
      if (!organization)
        throw new NotFoundError(`Organization ${variables.id} not found`, { code: 'NOT_FOUND' });
      return organization.members;
    }),
    createOrganization: async (name: string) =>
      (await client.request(ops.CreateOrganizationDocument, { name })).createOrganization,
    addOrganizationMember: async (variables: ops.AddOrganizationMemberMutationVariables) =>
      (await client.request(ops.AddOrganizationMemberDocument, variables)).addOrganizationMember,
    apiKeys: async () => (await client.request(ops.ApiKeysDocument)).apiKeys,
    /** Creates a key; its `secret` is shown only in this answer. */
    createApiKey: async (variables: ops.CreateApiKeyMutationVariables) =>
      (await client.request(ops.CreateApiKeyDocument, variables)).createApiKey,
    revokeApiKey: async (id: string) =>
      (await client.request(ops.RevokeApiKeyDocument, { id })).revokeApiKey,
  };
}
