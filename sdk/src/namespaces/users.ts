import { sessionOf, type Client } from '../client.js';
import { NotFoundError, UnauthenticatedError } from '../errors.js';
import * as ops from '../generated/operations.js';
import { paginated } from './pagination.js';

export type UsersConnection = ops.UsersQuery['users'];
export type OrganizationMembersConnection = NonNullable<
  ops.OrganizationMembersQuery['organization']
>['members'];

/** Accounts, sessions, organizations and API keys (the user subgraph). */
export function usersNamespace(client: Client) {
  /** A client that keeps its own session (no apiKey, token or getToken) adopts the new one. */
  const adopt = <Payload extends ops.SessionFieldsFragment>(payload: Payload): Payload => {
    if (client.managesSession) client.setSession(sessionOf(payload));
    return payload;
  };
  const refreshTokenOr = (refreshToken: string | undefined, method: string): string => {
    const token = refreshToken ?? client.session?.refreshToken;
    if (!token) {
      throw new UnauthenticatedError(`${method}: no refresh token (sign in first)`, {
        code: 'UNAUTHENTICATED',
      });
    }
    return token;
  };

  return {
    /** Signs up and starts a session (the client's own, when it manages one). */
    signUp: async (variables: ops.SignUpMutationVariables) =>
      adopt((await client.request(ops.SignUpDocument, variables)).signUp),
    /** Logs in and starts a session (the client's own, when it manages one). */
    login: async (variables: ops.LoginMutationVariables) =>
      adopt((await client.request(ops.LoginDocument, variables)).login),
    /**
     * Renews a session: the client's own by default. The answer carries the next refresh token;
     * the one sent is used up. The client does this by itself when an access token expires.
     */
    refreshSession: async (refreshToken?: string) => {
      const token = refreshTokenOr(refreshToken, 'refreshSession');
      const { refreshSession } = await client.request(
        ops.RefreshSessionDocument,
        { refreshToken: token },
        { withoutCredentials: true },
      );
      return refreshToken === undefined ? adopt(refreshSession) : refreshSession;
    },
    /**
     * Ends a session on the server (the client's own by default, which is then forgotten): it
     * can no longer be refreshed. Access tokens already issued expire within minutes.
     */
    signOut: async (refreshToken?: string): Promise<boolean> => {
      const own = refreshToken === undefined;
      const token = refreshToken ?? client.session?.refreshToken;
      if (token) {
        await client.request(
          ops.SignOutDocument,
          { refreshToken: token },
          { withoutCredentials: true },
        );
      }
      if (own) client.setSession(null);
      return true;
    },
    /** Changes the caller's password; every other session ends, this client gets a new one. */
    changePassword: async (variables: ops.ChangePasswordMutationVariables) =>
      adopt((await client.request(ops.ChangePasswordDocument, variables)).changePassword),
    /** Sets a user's platform role (administrators only; LAST_ADMIN for the only admin). */
    setUserRole: async (variables: ops.SetUserRoleMutationVariables) =>
      (await client.request(ops.SetUserRoleDocument, variables)).setUserRole,
    /** The caller, with their organization memberships; null for anonymous callers. */
    me: async () => (await client.request(ops.MeDocument)).me,
    user: async (id: string) => (await client.request(ops.UserDocument, { id })).user,
    /** Every user (administrators only), one page; narrowed by `search` (name or email) and `role`. */
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
