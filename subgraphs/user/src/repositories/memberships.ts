import type { Database } from '@platform/postgres';
import {
  positionAtColumn,
  timestampFromMicroseconds,
  withPosition,
  type KeysetPosition,
  type Positioned,
} from './keyset.js';
import { FOREIGN_KEY_VIOLATION, hasSqlState } from './sql-state.js';

export type OrganizationRole = 'OWNER' | 'ADMIN' | 'MEMBER';

export interface Membership {
  organizationId: string;
  userId: string;
  role: OrganizationRole;
  joinedAt: Date;
}

const MEMBERSHIP_COLUMNS =
  'organization_id AS "organizationId", user_id AS "userId", role, joined_at AS "joinedAt"';

export function membershipRepository(db: Database) {
  return {
    /**
     * Adds the member or changes their role (keeping when they joined); `undefined` when the
     * organization or the user does not exist.
     */
    async upsert(
      organizationId: string,
      userId: string,
      role: OrganizationRole,
    ): Promise<Membership | undefined> {
      try {
        const [membership] = await db.query<Membership>(
          `INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3)
           ON CONFLICT (organization_id, user_id) DO UPDATE SET role = EXCLUDED.role
           RETURNING ${MEMBERSHIP_COLUMNS}`,
          [organizationId, userId, role],
        );
        return membership;
      } catch (error) {
        if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) return undefined;
        throw error;
      }
    },

    /** Whether the user is the organization's only OWNER. */
    async isOnlyOwner(organizationId: string, userId: string): Promise<boolean> {
      const [row] = await db.query<{ onlyOwner: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM organization_members
           WHERE organization_id = $1 AND user_id = $2 AND role = 'OWNER'
         ) AND NOT EXISTS (
           SELECT 1 FROM organization_members
           WHERE organization_id = $1 AND user_id <> $2 AND role = 'OWNER'
         ) AS "onlyOwner"`,
        [organizationId, userId],
      );
      return row?.onlyOwner === true;
    },

    /** Every membership of each of the users (valid uuids), oldest first. */
    findByUserIds(userIds: readonly string[]): Promise<Membership[]> {
      return db.query<Membership>(
        `SELECT ${MEMBERSHIP_COLUMNS} FROM organization_members
         WHERE user_id = ANY($1::uuid[]) ORDER BY joined_at, organization_id`,
        [userIds],
      );
    },

    /** Up to `limit` members of the organization after `after`, in the order they joined. */
    async listPage(
      organizationId: string,
      after: KeysetPosition | undefined,
      limit: number,
    ): Promise<Positioned<Membership>[]> {
      const rows = after
        ? await db.query<Membership & { positionAt: string }>(
            `SELECT ${MEMBERSHIP_COLUMNS}, ${positionAtColumn('joined_at')}
             FROM organization_members
             WHERE organization_id = $1
               AND (joined_at, user_id) > (${timestampFromMicroseconds('$2')}, $3::uuid)
             ORDER BY joined_at, user_id LIMIT $4`,
            [organizationId, after.at, after.id, limit],
          )
        : await db.query<Membership & { positionAt: string }>(
            `SELECT ${MEMBERSHIP_COLUMNS}, ${positionAtColumn('joined_at')}
             FROM organization_members
             WHERE organization_id = $1
             ORDER BY joined_at, user_id LIMIT $2`,
            [organizationId, limit],
          );
      return rows.map((row) => withPosition(row, row.userId));
    },
  };
}

export type MembershipRepository = ReturnType<typeof membershipRepository>;
