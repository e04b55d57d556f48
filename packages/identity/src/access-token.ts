import { SignJWT, errors, jwtVerify } from 'jose';
import type { UserRole } from './principal.js';

/**
 * Access tokens: HS256 JWTs issued by the user subgraph at sign-up and login and verified by the
 * gateway. Both sides share JWT_SECRET; only HS256 is accepted, so `alg: none` and algorithm
 * confusion fail verification.
 */
const ISSUER = 'platform';
const AUDIENCE = 'platform-api';
const ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  userId: string;
  role: UserRole;
}

const key = (secret: string) => new TextEncoder().encode(secret);

export async function issueAccessToken(
  claims: AccessTokenClaims,
  secret: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
  const token = await new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key(secret));
  return { token, expiresAt };
}

export type AccessTokenRejection = 'expired' | 'invalid';

export class AccessTokenError extends Error {
  constructor(readonly reason: AccessTokenRejection) {
    super(reason === 'expired' ? 'The access token has expired' : 'The access token is invalid');
    this.name = 'AccessTokenError';
  }
}

export async function verifyAccessToken(token: string, secret: string): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || (role !== 'USER' && role !== 'ADMIN')) {
      throw new AccessTokenError('invalid');
    }
    return { userId: payload.sub, role };
  } catch (error) {
    if (error instanceof AccessTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new AccessTokenError('expired');
    throw new AccessTokenError('invalid');
  }
}
