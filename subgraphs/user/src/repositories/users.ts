import type { UserRole } from '@platform/identity';
import type { Database } from '@platform/postgres';
import {
  positionAtColumn,
  timestampFromMicroseconds,
  withPosition,
  type KeysetPosition,
  type Positioned,
} from './keyset.js';
import { UNIQUE_VIOLATION, hasSqlState } from './sql-state.js';

export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
}

export interface UserCredentials {
  user: User;
  passwordHash: string;
}

const USER_COLUMNS = 'id, email, name, role, created_at AS "createdAt"';

export function userRepository(db: Database) {
  return {
    /** Inserts a USER; `undefined` when the address is already registered in any letter case. */
    async insert(input: {
      email: string;
      name: string;
      passwordHash: string;
      role?: UserRole;
    }): Promise<User | undefined> {
      try {
        const [user] = await db.query<User>(
          `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)
           RETURNING ${USER_COLUMNS}`,
          [input.email, input.name, input.passwordHash, input.role ?? 'USER'],
        );
        return user;
      } catch (error) {
        if (hasSqlState(error, UNIQUE_VIOLATION)) return undefined;
        throw error;
      }
    },

    /** Ids must be valid uuids; missing users are simply absent from the result. */
    findByIds(ids: readonly string[]): Promise<User[]> {
      return db.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    },

    async findCredentialsByEmail(email: string): Promise<UserCredentials | undefined> {
      const [row] = await db.query<User & { passwordHash: string }>(
        `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash"
         FROM users WHERE lower(email) = lower($1)`,
        [email],
      );
      if (!row) return undefined;
      const { passwordHash, ...user } = row;
      return { user, passwordHash };
    },

    async findCredentialsById(id: string): Promise<UserCredentials | undefined> {
      const [row] = await db.query<User & { passwordHash: string }>(
        `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE id = $1`,
        [id],
      );
      if (!row) return undefined;
      const { passwordHash, ...user } = row;
      return { user, passwordHash };
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
    },

    /** The user with its new role; undefined for an unknown id. */
    async setRole(id: string, role: UserRole): Promise<User | undefined> {
      const [user] = await db.query<User>(
        `UPDATE users SET role = $2 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [id, role],
      );
      return user;
    },

    /**
     * Serializes changes of platform roles until the transaction ends, so two demotions cannot
     * each see the other admin and leave none. Only inside a transaction.
     */
    async lockRoles(): Promise<void> {
      await db.query("SELECT pg_advisory_xact_lock(hashtext('users.role'))");
    },

    async countAdmins(): Promise<number> {
      const [row] = await db.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM users WHERE role = 'ADMIN'",
      );
      return row!.count;
    },

    /**
     * Up to `limit` users after `after`, oldest first; `search` is a case-insensitive substring
     * of the name or email (matched literally), `role` the platform role.
     */
    async listPage(
      after: KeysetPosition | undefined,
      limit: number,
      filter: { search?: string; role?: UserRole } = {},
    ): Promise<Positioned<User>[]> {
      const values: unknown[] = [limit];
      const conditions: string[] = [];
      if (after) {
        values.push(after.at, after.id);
        conditions.push(
          `(created_at, id) > (${timestampFromMicroseconds(`$${values.length - 1}`)}, $${values.length}::uuid)`,
        );
      }
      if (filter.search) {
        values.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        conditions.push(`(name ILIKE $${values.length} OR email ILIKE $${values.length})`);
      }
      if (filter.role) {
        values.push(filter.role);
        conditions.push(`role = $${values.length}`);
      }
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const rows = await db.query<User & { positionAt: string }>(
        `SELECT ${USER_COLUMNS}, ${positionAtColumn('created_at')} FROM users ${where}
         ORDER BY created_at, id LIMIT $1`,
        values,
      );
      return rows.map((row) => withPosition(row, row.id));
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
