import { ErrorCode, platformError } from '@platform/errors';
import { issueAccessToken } from '@platform/identity';
import type { Repositories, TableRepositories } from '../repositories/index.js';
import type { User } from '../repositories/users.js';
import { markOwnAccount } from './own-account.js';
import { hashRefreshToken, looksLikeRefreshToken, newRefreshToken } from './refresh-token.js';

export interface AuthPayload {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: User;
}

export interface SessionSettings {
  /** Signs access tokens (JWT_SECRET). */
  secret: string;
  /** Access token lifetime (JWT_TTL_SECONDS). */
  ttlSeconds: number;
  /** Session lifetime after its last refresh (REFRESH_TOKEN_TTL_SECONDS). */
  refreshTtlSeconds: number;
}

/**
 * INVALID_REFRESH_TOKEN: unknown, expired or revoked (signed out, password changed, reuse).
 * REFRESH_TOKEN_REUSED: presented a second time; the session is revoked, as it may be stolen.
 */
const refused = (code: string, message: string) =>
  platformError(code, message, { http: { status: 401 } });

/**
 * Sessions: each sign-in starts one, with a short-lived access token (a JWT the gateway verifies
 * without asking anyone) and a refresh token (stored hashed) that renews it. Refreshing rotates
 * the refresh token; presenting a rotated one again revokes the whole session, so a stolen token
 * works at most until its owner refreshes. Signing out revokes the session: its access tokens
 * then live out their few minutes, and nothing can renew them.
 */
export function sessionService(repositories: Repositories, settings: SessionSettings) {
  const refreshExpiry = () => new Date(Date.now() + settings.refreshTtlSeconds * 1000);

  async function payload(
    user: User,
    refreshToken: string,
    refreshTokenExpiresAt: Date,
  ): Promise<AuthPayload> {
    const { token, expiresAt } = await issueAccessToken(
      { userId: user.id, role: user.role },
      settings.secret,
      settings.ttlSeconds,
    );
    // The caller just proved the account is theirs (password or refresh token): see own-account.ts.
    return { token, expiresAt, refreshToken, refreshTokenExpiresAt, user: markOwnAccount(user) };
  }

  return {
    /** Starts a session for `user` on `tx` (the sign-in's transaction, when it has one). */
    async start(tx: TableRepositories, user: User): Promise<AuthPayload> {
      const refreshToken = newRefreshToken();
      const expiresAt = refreshExpiry();
      await tx.sessions.start(user.id, hashRefreshToken(refreshToken), expiresAt);
      return payload(user, refreshToken, expiresAt);
    },

    /** A new access token and the next refresh token, with the user's current role. Public. */
    async refresh(refreshToken: string): Promise<AuthPayload> {
      if (!looksLikeRefreshToken(refreshToken)) {
        throw refused(
          ErrorCode.InvalidRefreshToken,
          'The refresh token is not valid; sign in again',
        );
      }
      const next = newRefreshToken();
      const expiresAt = refreshExpiry();
      // The reuse branch revokes the session: it must commit although the request then fails.
      const rotation = await repositories.transaction((tx) =>
        tx.sessions.rotate(hashRefreshToken(refreshToken), hashRefreshToken(next), expiresAt),
      );
      if (rotation.outcome === 'reused') {
        throw refused(
          ErrorCode.RefreshTokenReused,
          'The refresh token was already used; the session is ended, sign in again',
        );
      }
      const [user] =
        rotation.outcome === 'rotated'
          ? await repositories.users.findByIds([rotation.session.userId])
          : [];
      if (!user) {
        throw refused(
          ErrorCode.InvalidRefreshToken,
          'The refresh token is unknown, expired or revoked; sign in again',
        );
      }
      return payload(user, next, expiresAt);
    },

    /**
     * Ends the session of `refreshToken`. Always true, whether or not the token was live: signing
     * out twice is not an error, and the answer tells nothing about tokens. Public.
     */
    async signOut(refreshToken: string): Promise<boolean> {
      if (looksLikeRefreshToken(refreshToken)) {
        await repositories.sessions.revokeByToken(hashRefreshToken(refreshToken), 'SIGNED_OUT');
      }
      return true;
    },
  };
}

export type SessionService = ReturnType<typeof sessionService>;
