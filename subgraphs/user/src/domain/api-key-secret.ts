import { createHash, randomBytes } from 'node:crypto';

/** API key secrets: `pk_` and 32 random bytes in base64url (46 characters). */
const SECRET_PREFIX = 'pk_';
const SECRET_BYTES = 32;
const SECRET_LENGTH = SECRET_PREFIX.length + Math.ceil((SECRET_BYTES * 4) / 3);
/** How much of the secret is kept in clear to tell keys apart (`pk_` and 7 random characters). */
const DISPLAY_PREFIX_LENGTH = 10;

export function newApiKeySecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * SHA-256, not a password hash: the secret carries 256 random bits, so guessing it from its hash is
 * hopeless without a slow hash, and a fast one keeps the verification the gateway runs on every
 * API-key request cheap. It also makes the hash usable as a unique lookup key.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Cheap shape check before any query: anything else cannot be a key this service issued. */
export function looksLikeApiKeySecret(value: string): boolean {
  return value.length === SECRET_LENGTH && value.startsWith(SECRET_PREFIX);
}
