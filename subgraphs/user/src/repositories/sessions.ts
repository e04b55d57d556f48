import type { Database } from '@platform/postgres';

export type SessionEndReason = 'SIGNED_OUT' | 'PASSWORD_CHANGED' | 'TOKEN_REUSED';

export interface Session {
  id: string;
  userId: string;
  expiresAt: Date;
}

/**
 * What presenting a refresh token found: the session it rotated, a token already rotated (its
 * session is now revoked), or nothing live (unknown, expired or revoked).
 */
export type Rotation =
  { outcome: 'rotated'; session: Session } | { outcome: 'reused' } | { outcome: 'refused' };

const SESSION_COLUMNS = 'id, user_id AS "userId", expires_at AS "expiresAt"';

/** Sessions and their refresh tokens (hashes only); `rotate` must run in a transaction. */
export function sessionRepository(db: Database) {
  async function revoke(sessionId: string, reason: SessionEndReason): Promise<void> {
    await db.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
       WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, reason],
    );
  }

  return {
    async start(userId: string, tokenHash: string, expiresAt: Date): Promise<Session> {
      const [session] = await db.query<Session>(
        `INSERT INTO sessions (user_id, expires_at) VALUES ($1, $2) RETURNING ${SESSION_COLUMNS}`,
        [userId, expiresAt],
      );
      await db.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [
        tokenHash,
        session!.id,
      ]);
      return session!;
    },

    /**
     * Uses the token once: marks it rotated, stores `nextHash` in its session and moves the
     * session's expiry to `expiresAt`. The conditional UPDATE decides between two requests that
     * present the same token: one rotates it, the other finds it rotated, which is reuse.
     */
    async rotate(tokenHash: string, nextHash: string, expiresAt: Date): Promise<Rotation> {
      const [used] = await db.query<{ sessionId: string }>(
        `UPDATE refresh_tokens SET rotated_at = now()
         WHERE token_hash = $1 AND rotated_at IS NULL RETURNING session_id AS "sessionId"`,
        [tokenHash],
      );
      if (!used) {
        const [known] = await db.query<{ sessionId: string }>(
          'SELECT session_id AS "sessionId" FROM refresh_tokens WHERE token_hash = $1',
          [tokenHash],
        );
        if (!known) return { outcome: 'refused' };
        await revoke(known.sessionId, 'TOKEN_REUSED');
        return { outcome: 'reused' };
      }
      const [session] = await db.query<Session>(
        `UPDATE sessions SET expires_at = $2
         WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()
         RETURNING ${SESSION_COLUMNS}`,
        [used.sessionId, expiresAt],
      );
      if (!session) return { outcome: 'refused' };
      await db.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [
        nextHash,
        session.id,
      ]);
      return { outcome: 'rotated', session };
    },

    /** Revokes the session a token (rotated or not) belongs to; false when none was live. */
    async revokeByToken(tokenHash: string, reason: SessionEndReason): Promise<boolean> {
      const rows = await db.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
         WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $1)
           AND revoked_at IS NULL
         RETURNING id`,
        [tokenHash, reason],
      );
      return rows.length > 0;
    },

    revoke,

    /** Revokes every live session of the user; returns how many. */
    async revokeAllOf(userId: string, reason: SessionEndReason): Promise<number> {
      const rows = await db.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
         WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
        [userId, reason],
      );
      return rows.length;
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
