import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal.js';

/**
 * The gateway tells subgraphs who is calling in three headers: the principal (base64url JSON), the
 * time it signed it, and an HMAC-SHA256 over both with a secret only the gateway and the subgraphs
 * hold. Subgraphs accept nothing else: a raw `x-user-id` from outside means nothing to them.
 */
export const IDENTITY_HEADER = 'x-gateway-identity';
export const TIMESTAMP_HEADER = 'x-gateway-timestamp';
export const SIGNATURE_HEADER = 'x-gateway-signature';

/** How old a signature may be; covers clock skew and slow hops, short enough to limit replay. */
export const DEFAULT_MAX_AGE_SECONDS = 60;

export type IdentityRejection = 'missing' | 'malformed' | 'bad-signature' | 'stale';

export class IdentityError extends Error {
  constructor(readonly reason: IdentityRejection) {
    super(`gateway identity ${reason}`);
    this.name = 'IdentityError';
  }
}

function sign(secret: string, timestamp: string, identity: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${identity}`).digest('base64url');
}

export function signIdentity(
  principal: Principal,
  secret: string,
  now: number = Date.now(),
): Record<string, string> {
  const identity = Buffer.from(JSON.stringify(principal)).toString('base64url');
  const timestamp = String(Math.floor(now / 1000));
  return {
    [IDENTITY_HEADER]: identity,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: sign(secret, timestamp, identity),
  };
}

type HeaderSource = Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function verifyIdentity(
  headers: HeaderSource,
  secret: string,
  { now = Date.now(), maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS } = {},
): Principal {
  const identity = header(headers, IDENTITY_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!identity || !timestamp || !signature) throw new IdentityError('missing');

  const expected = Buffer.from(sign(secret, timestamp, identity));
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new IdentityError('bad-signature');
  }
  const signedAt = Number(timestamp);
  if (!Number.isInteger(signedAt) || Math.abs(now / 1000 - signedAt) > maxAgeSeconds) {
    throw new IdentityError('stale');
  }
  try {
    return parsePrincipal(JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')));
  } catch {
    throw new IdentityError('malformed');
  }
}

function parsePrincipal(value: unknown): Principal {
  const candidate = value as Partial<Record<string, unknown>>;
  if (candidate?.kind === 'anonymous') return { kind: 'anonymous' };
  if (
    (candidate?.kind === 'user' || candidate?.kind === 'apiKey') &&
    typeof candidate.userId === 'string' &&
    (candidate.role === 'USER' || candidate.role === 'ADMIN') &&
    Array.isArray(candidate.scopes) &&
    candidate.scopes.every((scope) => scope === 'read' || scope === 'write')
  ) {
    return candidate as Principal;
  }
  throw new Error('not a principal');
}

/**
 * verifyIdentity for a server that sees the same signed headers again and again: the gateway
 * signs a principal once a second per fetch, so the several fetches of one operation (and every
 * operation of that caller in that second) carry the same three headers. A set whose HMAC
 * verified is remembered with its principal (frozen, shared by the requests that present it), so
 * a repeat costs one map lookup; whether it is stale is still decided on every call. Only an
 * exact repeat of a set that verified is answered from memory: any other byte makes another key,
 * verified in full, and failures are never remembered. The oldest entry makes room for a new one
 * beyond `maxEntries`.
 */
export function cachedIdentityVerifier(
  secret: string,
  { maxEntries = 1000, maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS } = {},
): (headers: HeaderSource, now?: number) => Principal {
  const verified = new Map<string, { principal: Principal; signedAt: number }>();
  return (headers, now = Date.now()) => {
    const key = `${header(headers, SIGNATURE_HEADER)}.${header(headers, TIMESTAMP_HEADER)}.${header(headers, IDENTITY_HEADER)}`;
    const known = verified.get(key);
    if (known) {
      if (Math.abs(now / 1000 - known.signedAt) > maxAgeSeconds) throw new IdentityError('stale');
      return known.principal;
    }
    const principal = deepFreeze(verifyIdentity(headers, secret, { now, maxAgeSeconds }));
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
    verified.set(key, { principal, signedAt: Number(header(headers, TIMESTAMP_HEADER)) });
    return principal;
  };
}

function deepFreeze(principal: Principal): Principal {
  if ('scopes' in principal) Object.freeze(principal.scopes);
  return Object.freeze(principal);
}
