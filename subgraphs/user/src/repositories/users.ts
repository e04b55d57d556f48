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
    }): Promise<User | undefined> {
      try {
        const [user] = await db.query<User>(
          `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
           RETURNING ${USER_COLUMNS}`,
          [input.email, input.name, input.passwordHash],
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

    /** Up to `limit` users after `after`, oldest first. */
    async listPage(after: KeysetPosition | undefined, limit: number): Promise<Positioned<User>[]> {
      const rows = after
        ? await db.query<User & { positionAt: string }>(
            `SELECT ${USER_COLUMNS}, ${positionAtColumn('created_at')} FROM users
             WHERE (created_at, id) > (${timestampFromMicroseconds('$1')}, $2::uuid)
             ORDER BY created_at, id LIMIT $3`,
            [after.at, after.id, limit],
          )
        : await db.query<User & { positionAt: string }>(
            `SELECT ${USER_COLUMNS}, ${positionAtColumn('created_at')} FROM users
             ORDER BY created_at, id LIMIT $1`,
            [limit],
          );
      return rows.map((row) => withPosition(row, row.id));
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
