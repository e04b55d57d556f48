import { ErrorCode, forbidden, notFound, platformError } from '@platform/errors';
import {
  isAdmin,
  requireAuthenticated,
  requireScope,
  type AuthenticatedPrincipal,
} from '@platform/identity';
import { decodeCursor, pageSize, toConnection, type Connection } from '@platform/pagination';
import { isKeysetPosition, type Positioned } from '../repositories/keyset.js';
import type { Repositories } from '../repositories/index.js';
import type { Membership, OrganizationRole } from '../repositories/memberships.js';
import type { Organization } from '../repositories/organizations.js';
import { isUuid } from '../uuid.js';
import { organizationCreated, organizationMemberAdded } from './events.js';
import { requireText, requireUuid } from './input.js';
import type { RequestScope } from './request-scope.js';

/**
 * Organizations and their members. An organization is visible to its members and to platform
 * administrators; to anyone else it does not exist (null, or NOT_FOUND in mutations).
 */
export function organizationService(repositories: Repositories) {
  async function roleIn(
    { loaders }: RequestScope,
    userId: string,
    organizationId: string,
  ): Promise<OrganizationRole | undefined> {
    const ofUser = await loaders.membershipsByUser.load(userId);
    return ofUser.find((membership) => membership.organizationId === organizationId)?.role;
  }

  async function visible(
    scope: RequestScope,
    caller: AuthenticatedPrincipal,
    id: string,
  ): Promise<Organization | null> {
    if (!isUuid(id)) return null;
    const organizationId = id.toLowerCase();
    if (!isAdmin(caller) && !(await roleIn(scope, caller.userId, organizationId))) return null;
    return scope.loaders.organization.load(organizationId);
  }

  /** Org ADMINs manage ADMINs and MEMBERs; only OWNERs (and platform admins) touch OWNERs. */
  async function authorizeMemberChange(
    scope: RequestScope,
    caller: AuthenticatedPrincipal,
    change: { organizationId: string; userId: string; role: OrganizationRole },
  ): Promise<void> {
    if (isAdmin(caller)) return;
    const callerRole = await roleIn(scope, caller.userId, change.organizationId);
    if (!callerRole) throw notFound('Organization', change.organizationId);
    if (callerRole === 'OWNER') return;
    if (callerRole !== 'ADMIN') {
      throw forbidden('Only owners and admins of the organization can manage its members');
    }
    const currentRole = await roleIn(scope, change.userId, change.organizationId);
    if (change.role === 'OWNER' || currentRole === 'OWNER') {
      throw forbidden('Only owners of the organization can grant or change the OWNER role');
    }
  }

  return {
    /** Creates an organization with the caller as its OWNER. */
    async create(scope: RequestScope, args: { name: string }): Promise<Organization> {
      const caller = requireScope(scope.principal, 'write');
      const name = requireText(args.name, 'name');
      const organization = await repositories.transaction(async (tx) => {
        const inserted = await tx.organizations.insertWithOwner(name, caller.userId);
        if (inserted) await tx.outbox.append(organizationCreated(caller.userId, inserted));
        return inserted;
      });
      if (!organization) throw notFound('User', caller.userId);
      scope.loaders.membershipsByUser.clear(caller.userId);
      scope.loaders.organization.prime(organization.id, organization);
      return organization;
    },

    /**
     * Adds a member or changes their role. An organization always keeps an OWNER: demoting the
     * only one is LAST_OWNER (make another member OWNER first). The check and the change run in
     * one transaction holding the organization's row, so two owners demoting each other at once
     * cannot both succeed.
     */
    async addMember(
      scope: RequestScope,
      args: { organizationId: string; userId: string; role: OrganizationRole },
    ): Promise<Membership> {
      const caller = requireScope(scope.principal, 'write');
      const change = {
        organizationId: requireUuid(args.organizationId, 'organizationId'),
        userId: requireUuid(args.userId, 'userId'),
        role: args.role,
      };
      await authorizeMemberChange(scope, caller, change);
      const membership = await repositories.transaction(async (tx) => {
        if (!(await tx.organizations.lockForMemberChange(change.organizationId))) return undefined;
        if (
          change.role !== 'OWNER' &&
          (await tx.memberships.isOnlyOwner(change.organizationId, change.userId))
        ) {
          throw lastOwner(change.organizationId);
        }
        const upserted = await tx.memberships.upsert(
          change.organizationId,
          change.userId,
          change.role,
        );
        if (upserted) await tx.outbox.append(organizationMemberAdded(caller.userId, upserted));
        return upserted;
      });
      if (!membership) {
        const organization = await scope.loaders.organization.load(change.organizationId);
        throw organization
          ? notFound('User', change.userId)
          : notFound('Organization', change.organizationId);
      }
      scope.loaders.membershipsByUser.clear(change.userId);
      return membership;
    },

    find(scope: RequestScope, id: string): Promise<Organization | null> {
      return visible(scope, requireScope(scope.principal, 'read'), id);
    },

    /** A federation reference from another subgraph; same visibility as `find`. */
    reference(scope: RequestScope, id: string): Promise<Organization | null> {
      return visible(scope, requireAuthenticated(scope.principal), id);
    },

    /** Members in the order they joined; the organization was already checked as visible. */
    async members(
      organizationId: string,
      args: { first?: number | null; after?: string | null },
    ): Promise<Connection<Positioned<Membership>>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after, isKeysetPosition);
      const rows = await repositories.memberships.listPage(organizationId, after, size + 1);
      return toConnection(rows, size, (membership) => membership.position);
    },

    /**
     * A user's memberships as the caller may see them: all of them for the user themself and for
     * platform administrators, otherwise only those in organizations the caller also belongs to.
     */
    async membershipsOf(scope: RequestScope, userId: string): Promise<Membership[]> {
      // Personal data, reached through entity references too: it needs `read`, like User.email.
      const caller = requireScope(scope.principal, 'read');
      const [ofUser, ofCaller] = await Promise.all([
        scope.loaders.membershipsByUser.load(userId),
        scope.loaders.membershipsByUser.load(caller.userId),
      ]);
      if (isAdmin(caller) || caller.userId === userId) return ofUser;
      const shared = new Set(ofCaller.map((membership) => membership.organizationId));
      return ofUser.filter((membership) => shared.has(membership.organizationId));
    },
  };
}

export type OrganizationService = ReturnType<typeof organizationService>;

const lastOwner = (organizationId: string) =>
  platformError(
    ErrorCode.LastOwner,
    'An organization must keep an OWNER: make another member OWNER before changing the role of its only one',
    { argument: 'role', organizationId },
  );
