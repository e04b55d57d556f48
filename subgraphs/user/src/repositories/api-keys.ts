import type { Scope, UserRole } from '@platform/identity';
import type { Database } from '@platform/postgres';
import { FOREIGN_KEY_VIOLATION, hasSqlState } from './sql-state.js';

export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  scopes: Scope[];
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A key that is not revoked, with the role of the user who owns it. */
export interface LiveApiKey {
  id: string;
  userId: string;
  role: UserRole;
  scopes: Scope[];
  lastUsedAt: Date | null;
}

const API_KEY_COLUMNS = `id, user_id AS "userId", name, scopes, prefix, created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

export function apiKeyRepository(db: Database) {
  return {
    /** `undefined` when the owner is not a user (any more). */
    async insert(input: {
      userId: string;
      name: string;
      scopes: Scope[];
      prefix: string;
      secretHash: string;
    }): Promise<ApiKey | undefined> {
      try {
        const [apiKey] = await db.query<ApiKey>(
          `INSERT INTO api_keys (user_id, name, scopes, prefix, secret_hash)
           VALUES ($1, $2, $3, $4, $5) RETURNING ${API_KEY_COLUMNS}`,
          [input.userId, input.name, input.scopes, input.prefix, input.secretHash],
        );
        return apiKey;
      } catch (error) {
        if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) return undefined;
        throw error;
      }
    },

    /** The user's keys, revoked ones included, newest first. */
    listByUser(userId: string): Promise<ApiKey[]> {
      return db.query<ApiKey>(
        `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = $1
         ORDER BY created_at DESC, id DESC`,
        [userId],
      );
    },

    /**
     * Revokes the key if `userId` owns it (revoking twice keeps the first time); `revokedNow`
     * says whether this call revoked it or it already was.
     */
    async revoke(
      id: string,
      userId: string,
    ): Promise<{ apiKey: ApiKey; revokedNow: boolean } | undefined> {
      const [row] = await db.query<ApiKey & { revokedNow: boolean }>(
        `WITH target AS (
           SELECT id AS target_id, revoked_at AS revoked_before
           FROM api_keys WHERE id = $1 AND user_id = $2 FOR UPDATE
         )
         UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
         FROM target WHERE id = target_id
         RETURNING ${API_KEY_COLUMNS}, revoked_before IS NULL AS "revokedNow"`,
        [id, userId],
      );
      if (!row) return undefined;
      const { revokedNow, ...apiKey } = row;
      return { apiKey, revokedNow };
    },

    async findLiveBySecretHash(secretHash: string): Promise<LiveApiKey | undefined> {
      const [apiKey] = await db.query<LiveApiKey>(
        `SELECT k.id, k.user_id AS "userId", u.role, k.scopes, k.last_used_at AS "lastUsedAt"
         FROM api_keys k JOIN users u ON u.id = k.user_id
         WHERE k.secret_hash = $1 AND k.revoked_at IS NULL`,
        [secretHash],
      );
      return apiKey;
    },

    /** Records a use unless one was recorded in the last `minIntervalSeconds` (by any instance). */
    async touchLastUsed(id: string, minIntervalSeconds: number): Promise<void> {
      await db.query(
        `UPDATE api_keys SET last_used_at = now()
         WHERE id = $1
           AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
        [id, minIntervalSeconds],
      );
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof apiKeyRepository>;
