import {
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AccessTokenError, type AccessTokenClaims } from './access-token.js';

/**
 * Access tokens of an external OpenID Connect provider, verified against the keys it publishes
 * (its JWKS), beside the platform's own HS256 tokens. The claims map to the same user principal
 * as a platform token: `userIdClaim` holds the platform user id, `roleClaim` (optional) makes an
 * ADMIN.
 */
export interface ExternalAccessTokenOptions {
  /** The provider's issuer (`iss`); tokens naming it are verified here, all others are not ours. */
  issuer: string;
  /** The audience (`aud`) a token must name: this API's client id or resource at the provider. */
  audience: string;
  /** The provider's JWKS; undefined: `jwks_uri` of `${issuer}/.well-known/openid-configuration`. */
  jwksUrl?: URL;
  /** The signature algorithms accepted; asymmetric only (no `none`, no HS*). */
  algorithms: readonly string[];
  /** The claim holding the platform user id. @default 'sub' */
  userIdClaim?: string;
  /** A claim (string or array of strings) that makes the user ADMIN when it holds 'ADMIN'. */
  roleClaim?: string;
  /** No JWKS refetch for an unknown `kid` within this long of the last fetch. @default 30000 */
  cooldownMs?: number;
  /** A key set older than this is fetched again before use. @default 600000 */
  cacheMaxAgeMs?: number;
  /** How long a JWKS or discovery request may take. @default 5000 */
  timeoutMs?: number;
}

/** The provider's keys cannot be fetched (it is down, slow or answers garbage): not the caller's fault. */
export class KeySetUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The identity provider's signing keys cannot be fetched", { cause });
    this.name = 'KeySetUnavailableError';
  }
}

export interface ExternalAccessTokenVerifier {
  /** Whether the token claims to come from this provider (its unverified `iss`): route it here. */
  claimsIssuer(token: string): boolean;
  /** The claims of a valid token; AccessTokenError for a bad one, KeySetUnavailableError when the keys cannot be had. */
  verify(token: string): Promise<AccessTokenClaims>;
}

/** Refused whatever the configuration says: unsigned, or symmetric (a public key as HMAC secret). */
export const isForbiddenExternalAlgorithm = (alg: string) => alg === 'none' || /^HS/i.test(alg);

export function externalAccessTokenVerifier(
  options: ExternalAccessTokenOptions,
): ExternalAccessTokenVerifier {
  const forbidden = options.algorithms.filter(isForbiddenExternalAlgorithm);
  if (forbidden.length > 0 || options.algorithms.length === 0) {
    throw new Error(`External tokens need asymmetric algorithms, not ${forbidden.join(', ')}`);
  }
  const { issuer, audience, userIdClaim = 'sub', roleClaim, timeoutMs = 5_000 } = options;
  const keys = keySet(options, timeoutMs);

  return {
    claimsIssuer(token) {
      try {
        return decodeJwt(token).iss === issuer;
      } catch {
        return false;
      }
    },
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keys(), {
          algorithms: [...options.algorithms],
          issuer,
          audience,
          requiredClaims: ['exp', userIdClaim],
        }));
      } catch (error) {
        if (error instanceof KeySetUnavailableError) throw error;
        if (error instanceof errors.JWTExpired) throw new AccessTokenError('expired');
        throw new AccessTokenError('invalid');
      }
      const userId = payload[userIdClaim];
      if (typeof userId !== 'string' || userId === '') throw new AccessTokenError('invalid');
      return { userId, role: roleClaim && holdsAdmin(payload[roleClaim]) ? 'ADMIN' : 'USER' };
    },
  };
}

function holdsAdmin(claim: unknown): boolean {
  return claim === 'ADMIN' || (Array.isArray(claim) && claim.includes('ADMIN'));
}

/**
 * jose's remote key set (cached for cacheMaxAgeMs, refetched when a token names an unknown `kid`
 * once cooldownMs has passed: how a rotated key is picked up), behind the provider's discovery
 * document when no JWKS URL is configured. Discovery happens at the first token, not at start-up,
 * so the gateway starts while the provider is down; a failed discovery is tried again next time.
 * A failure to fetch becomes KeySetUnavailableError; an unknown key stays jose's error (a 401).
 */
function keySet(
  options: ExternalAccessTokenOptions,
  timeoutMs: number,
): () => Promise<JWTVerifyGetKey> {
  const remote = (url: URL): JWTVerifyGetKey => {
    const jwks = createRemoteJWKSet(url, {
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs,
      timeoutDuration: timeoutMs,
    });
    return async (header, token) => {
      try {
        return await jwks(header, token);
      } catch (error) {
        const callersFault =
          error instanceof errors.JWKSNoMatchingKey ||
          error instanceof errors.JWKSMultipleMatchingKeys ||
          error instanceof errors.JOSENotSupported;
        throw callersFault ? error : new KeySetUnavailableError(error);
      }
    };
  };
  if (options.jwksUrl) {
    const fixed = remote(options.jwksUrl);
    return async () => fixed;
  }
  let discovered: Promise<JWTVerifyGetKey> | undefined;
  return () => {
    discovered ??= discoverJwksUrl(options.issuer, timeoutMs).then(remote, (error: unknown) => {
      discovered = undefined;
      throw new KeySetUnavailableError(error);
    });
    return discovered;
  };
}

/** `jwks_uri` of the provider's OpenID configuration, which must name the same issuer. */
async function discoverJwksUrl(issuer: string, timeoutMs: number): Promise<URL> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (document.issuer !== issuer) {
    throw new Error(`${url} names issuer ${String(document.issuer)}, not ${issuer}`);
  }
  if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
  return new URL(document.jwks_uri);
}
