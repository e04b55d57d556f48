import { createHash, randomBytes } from 'node:crypto';

/** Refresh tokens: `rt_` and 32 random bytes in base64url (46 characters), shown to the client once. */
const TOKEN_PREFIX = 'rt_';
const TOKEN_BYTES = 32;
const TOKEN_LENGTH = TOKEN_PREFIX.length + Math.ceil((TOKEN_BYTES * 4) / 3);

export function newRefreshToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

/** SHA-256, for the reason api-key-secret.ts gives: 256 random bits need no slow hash. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Cheap shape check before any query: anything else cannot be a token this service issued. */
export function looksLikeRefreshToken(value: string): boolean {
  return value.length === TOKEN_LENGTH && value.startsWith(TOKEN_PREFIX);
}
