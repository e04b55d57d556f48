import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal.js';

/**
 * The gateway tells a subgraph who is calling in three headers: the principal (base64url JSON),
 * the second it signed the request, and an HMAC-SHA256 with a secret only the gateway and the
 * subgraphs hold. The HMAC covers the principal, the time, the name of the subgraph the request
 * is for and the SHA-256 of the exact body bytes, so a captured header set is worth nothing for
 * another subgraph, another body, or after a short window. The scheme, as a spec another
 * language can implement, is packages/identity/README.md.
 */
export const IDENTITY_HEADER = 'x-gateway-identity';
export const TIMESTAMP_HEADER = 'x-gateway-timestamp';
export const SIGNATURE_HEADER = 'x-gateway-signature';

/** The first line of the canonical string: names the scheme, so a future one cannot be confused with it. */
export const SIGNATURE_SCHEME = 'platform-identity-v1';

/** How old a signature may be: a gateway fetch, retries included, is sent well within it. */
export const DEFAULT_MAX_AGE_SECONDS = 30;
/** How far ahead of the subgraph's clock a signature may be: clock skew between hosts, no more. */
export const DEFAULT_MAX_FUTURE_SKEW_SECONDS = 5;

export type IdentityRejection = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'future';

export class IdentityError extends Error {
  constructor(readonly reason: IdentityRejection) {
    super(`gateway identity ${reason}`);
    this.name = 'IdentityError';
  }
}

/** The request body as sent on the wire; a string is its UTF-8 bytes; none is the empty body. */
export type RequestBody = string | Uint8Array | undefined;

/** What a signature is bound to besides the principal and the time. */
export interface SignedRequest {
  /** The subgraph's name in the supergraph (`user`, `data`, ...). */
  subgraph: string;
  body: RequestBody;
}

/** Lower-case hex SHA-256 of the exact body bytes. */
export function bodySha256(body: RequestBody): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('hex');
}

/** The string the HMAC is computed over (README: "Canonical string"). */
export function canonicalString(parts: {
  subgraph: string;
  timestamp: string;
  bodySha256: string;
  identity: string;
}): string {
  return [SIGNATURE_SCHEME, parts.subgraph, parts.timestamp, parts.bodySha256, parts.identity].join(
    '\n',
  );
}

function hmac(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical).digest('base64url');
}

/** The principal as the identity header carries it: base64url (no padding) of its UTF-8 JSON. */
export function encodePrincipal(principal: Principal): string {
  return Buffer.from(JSON.stringify(principal)).toString('base64url');
}

export interface SignOptions extends SignedRequest {
  secret: string;
  /** Milliseconds since the epoch; the timestamp is its whole seconds. */
  now?: number;
}

/** `encodePrincipal({ kind: 'anonymous' })`. */
export const ANONYMOUS_IDENTITY = encodePrincipal({ kind: 'anonymous' });

/** The three headers for one request to one subgraph. */
export function signIdentity(principal: Principal, options: SignOptions): Record<string, string> {
  return signEncodedIdentity(encodePrincipal(principal), options);
}

/**
 * signIdentity for a principal already encoded as its identity header (`encodePrincipal`): for
 * signers that encode a principal once for many requests, or learn it where the body is not known
 * yet and sign where it is.
 */
export function signEncodedIdentity(
  identity: string,
  { secret, subgraph, body, now = Date.now() }: SignOptions,
): Record<string, string> {
  if (/[\r\n]/.test(subgraph)) throw new Error('a subgraph name holds no line break');
  const timestamp = String(Math.floor(now / 1000));
  const canonical = canonicalString({
    subgraph,
    timestamp,
    bodySha256: bodySha256(body),
    identity,
  });
  return {
    [IDENTITY_HEADER]: identity,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: hmac(secret, canonical),
  };
}

type HeaderSource = Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifyOptions extends SignedRequest {
  secret: string;
  now?: number;
  maxAgeSeconds?: number;
  maxFutureSkewSeconds?: number;
}

/** Whole seconds since the epoch, in decimal digits; anything else (signs, exponents, spaces) is not one. */
const TIMESTAMP = /^[0-9]{1,15}$/;

/**
 * Checks the headers of a request to `subgraph` with `body`: present, HMAC equal (compared in
 * constant time), timestamp inside the window; then decodes the principal. Throws IdentityError.
 */
export function verifySignature(
  headers: HeaderSource,
  {
    secret,
    subgraph,
    body,
    now = Date.now(),
    maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS,
    maxFutureSkewSeconds = DEFAULT_MAX_FUTURE_SKEW_SECONDS,
  }: VerifyOptions,
): { identity: string } {
  const identity = header(headers, IDENTITY_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!identity || !timestamp || !signature) throw new IdentityError('missing');
  if (!TIMESTAMP.test(timestamp)) throw new IdentityError('malformed');

  const canonical = canonicalString({
    subgraph,
    timestamp,
    bodySha256: bodySha256(body),
    identity,
  });
  const expected = Buffer.from(hmac(secret, canonical));
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new IdentityError('bad-signature');
  }
  // Both sides count whole seconds, so the window is exact integers on either implementation.
  const age = Math.floor(now / 1000) - Number(timestamp);
  if (age > maxAgeSeconds) throw new IdentityError('expired');
  if (age < -maxFutureSkewSeconds) throw new IdentityError('future');
  return { identity };
}

export function decodePrincipal(identity: string): Principal {
  try {
    return parsePrincipal(JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')));
  } catch {
    throw new IdentityError('malformed');
  }
}

/** verifySignature, then the principal it signs. */
export function verifyIdentity(headers: HeaderSource, options: VerifyOptions): Principal {
  return decodePrincipal(verifySignature(headers, options).identity);
}

function parsePrincipal(value: unknown): Principal {
  const candidate = value as Partial<Record<string, unknown>>;
  if (candidate?.kind === 'anonymous') return { kind: 'anonymous' };
  if (
    (candidate?.kind === 'user' || candidate?.kind === 'apiKey') &&
    typeof candidate.userId === 'string' &&
    (candidate.role === 'USER' || candidate.role === 'ADMIN') &&
    Array.isArray(candidate.scopes) &&
    candidate.scopes.every((scope) => scope === 'read' || scope === 'write') &&
    (candidate.kind === 'user' || typeof candidate.apiKeyId === 'string')
  ) {
    return candidate as Principal;
  }
  throw new Error('not a principal');
}

export interface SubgraphIdentityVerifierOptions {
  maxAgeSeconds?: number;
  maxFutureSkewSeconds?: number;
  /** Decoded principals remembered, by identity header. @default 1000 */
  maxEntries?: number;
}

/**
 * verifyIdentity for the subgraph named `subgraph`. Every request's HMAC and window are checked
 * (the body differs from request to request, so there is nothing to remember about them); the
 * principal an identity header decodes to is remembered (frozen, shared by the requests that
 * present it), since one caller's many fetches carry the same identity header. Only an identity
 * whose signature just verified is looked up or remembered. The oldest entry makes room for a
 * new one beyond `maxEntries`.
 */
export function subgraphIdentityVerifier(
  secret: string,
  subgraph: string,
  { maxEntries = 1000, ...window }: SubgraphIdentityVerifierOptions = {},
): (headers: HeaderSource, body: RequestBody, now?: number) => Principal {
  const decoded = new Map<string, Principal>();
  return (headers, body, now = Date.now()) => {
    const { identity } = verifySignature(headers, { secret, subgraph, body, now, ...window });
    const known = decoded.get(identity);
    if (known) return known;
    const principal = deepFreeze(decodePrincipal(identity));
    if (decoded.size >= maxEntries) decoded.delete(decoded.keys().next().value!);
    decoded.set(identity, principal);
    return principal;
  };
}

function deepFreeze(principal: Principal): Principal {
  if ('scopes' in principal) Object.freeze(principal.scopes);
  return Object.freeze(principal);
}
