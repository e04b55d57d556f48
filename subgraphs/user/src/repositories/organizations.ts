import type { Database } from '@platform/postgres';
import { FOREIGN_KEY_VIOLATION, hasSqlState } from './sql-state.js';

export interface Organization {
  id: string;
  name: string;
  createdAt: Date;
}

const ORGANIZATION_COLUMNS = 'id, name, created_at AS "createdAt"';

export function organizationRepository(db: Database) {
  return {
    /**
     * Creates the organization and its first OWNER in one statement, so neither exists alone;
     * `undefined` when the owner is not a user (any more).
     */
    async insertWithOwner(name: string, ownerId: string): Promise<Organization | undefined> {
      try {
        const [organization] = await db.query<Organization>(
          `WITH organization AS (
           INSERT INTO organizations (name) VALUES ($1) RETURNING ${ORGANIZATION_COLUMNS}
         ), owner AS (
           INSERT INTO organization_members (organization_id, user_id, role)
           SELECT id, $2, 'OWNER' FROM organization
         )
         SELECT * FROM organization`,
          [name, ownerId],
        );
        return organization;
      } catch (error) {
        if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) return undefined;
        throw error;
      }
    },

    /**
     * Inside a transaction: holds the organization's row until it ends, so the member changes of
     * one organization run one after another and each sees the last one's result (the check that
     * an OWNER remains cannot race). False when there is no such organization.
     */
    async lockForMemberChange(id: string): Promise<boolean> {
      const rows = await db.query(`SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE`, [id]);
      return rows.length > 0;
    },

    /** Ids must be valid uuids; missing organizations are simply absent from the result. */
    findByIds(ids: readonly string[]): Promise<Organization[]> {
      return db.query<Organization>(
        `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    },
  };
}

export type OrganizationRepository = ReturnType<typeof organizationRepository>;
