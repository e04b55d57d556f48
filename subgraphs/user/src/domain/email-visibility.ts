import { isAdmin, requireScope } from '@platform/identity';
import type { User } from '../repositories/users.js';
import { isOwnAccount } from './own-account.js';
import type { RequestScope } from './request-scope.js';

/**
 * A user as `User.email` receives it. Reached through the gateway, `email` always comes from an
 * entity reference (`@requires(fields: "sharesProjectWithViewer")`), and the data subgraph, which
 * holds the projects, has said whether the caller shares one with this user. `me` and sign-in
 * payloads provide it themselves (`@provides`): the caller's own account, which needs no project.
 */
export type UserWithProjectPeers = User & { sharesProjectWithViewer?: boolean };

/**
 * Who may read a user's e-mail: the user themself, platform administrators, and users who share
 * an organization or a project with them (an API key: its user). Anyone else reads null, without
 * an error: an error would drop a response from the cache and turn a list of users, or a
 * notification about a stranger, into a partial answer. The `read` scope is still required
 * (FORBIDDEN), except for the account a sign-in just authenticated (own-account.ts).
 *
 * Organizations come from the memberships loader: the caller's and every user's of the request in
 * one query, shared with `User.memberships`.
 */
export async function mayReadEmail(
  { principal, loaders }: RequestScope,
  user: UserWithProjectPeers,
): Promise<boolean> {
  if (isOwnAccount(user)) return true;
  const caller = requireScope(principal, 'read');
  if (caller.userId === user.id || isAdmin(caller)) return true;
  if (user.sharesProjectWithViewer === true) return true;
  const [callerMemberships, userMemberships] = await Promise.all([
    loaders.membershipsByUser.load(caller.userId),
    loaders.membershipsByUser.load(user.id),
  ]);
  const callerOrganizations = new Set(callerMemberships.map((m) => m.organizationId));
  return userMemberships.some((membership) => callerOrganizations.has(membership.organizationId));
}
