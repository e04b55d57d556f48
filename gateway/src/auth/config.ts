import { z } from 'zod';
import { ConfigError, env, type SettingsOf } from '@platform/config';
import { isForbiddenExternalAlgorithm, type ExternalAccessTokenOptions } from '@platform/identity';

/** Unset and empty are the same: "not configured". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || undefined);

const optionalUrl = optionalText.pipe(z.url().optional());

/** The JWS algorithms of public-key signatures (RFC 7518, RFC 8037). */
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/**
 * An external OpenID Connect provider whose access tokens the gateway accepts beside the
 * platform's own (auth/external-identity.ts). Off unless OIDC_ISSUER is set.
 */
export const externalIdentitySettings = {
  /** The provider's issuer (`iss` of its tokens, e.g. https://idp.example.com/realms/acme). */
  OIDC_ISSUER: optionalUrl,
  /** The audience (`aud`) its tokens must name for this API; required with OIDC_ISSUER. */
  OIDC_AUDIENCE: optionalText,
  /** Its key set; unset: the `jwks_uri` of `${OIDC_ISSUER}/.well-known/openid-configuration`. */
  OIDC_JWKS_URL: optionalUrl,
  /** The signature algorithms accepted (comma-separated); `none` and HS* never are. */
  OIDC_ALGORITHMS: env.csv('RS256,ES256').transform((algorithms, context) => {
    const refused = algorithms.filter(isForbiddenExternalAlgorithm);
    const unknown = algorithms.filter(
      (alg) =>
        !refused.includes(alg) && !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg),
    );
    const problems = [
      ...(refused.length ? [`${refused.join(', ')} refused for external tokens`] : []),
      ...(unknown.length ? [`${unknown.join(', ')} unknown`] : []),
      ...(algorithms.length === 0 ? ['must name at least one algorithm'] : []),
    ];
    if (problems.length === 0) return algorithms as AsymmetricAlgorithm[];
    context.addIssue({
      code: 'custom',
      message: `${problems.join('; ')} (accepted: ${ASYMMETRIC_ALGORITHMS.join(', ')})`,
    });
    return z.NEVER;
  }),
  /** The claim that holds the platform user id of the caller. */
  OIDC_USER_ID_CLAIM: z.string().trim().min(1).default('sub'),
  /** A claim (string or array) that makes the caller ADMIN when it holds `ADMIN`; unset: all are USER. */
  OIDC_ROLE_CLAIM: optionalText,
  /** No refetch of the key set for an unknown `kid` within this long of the last fetch. */
  OIDC_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  /** A key set older than this is fetched again before it is used. */
  OIDC_JWKS_CACHE_MAX_AGE_MS: z.coerce.number().int().min(0).default(600_000),
};

export type ExternalIdentitySettings = SettingsOf<typeof externalIdentitySettings>;

/** The provider's options, or undefined when OIDC_ISSUER is unset; settings that need it say so. */
export function externalIdentityConfig(
  settings: ExternalIdentitySettings,
): ExternalAccessTokenOptions | undefined {
  const issuer = settings.OIDC_ISSUER;
  if (issuer === undefined) {
    const orphans = (['OIDC_AUDIENCE', 'OIDC_JWKS_URL', 'OIDC_ROLE_CLAIM'] as const).filter(
      (name) => settings[name] !== undefined,
    );
    if (orphans.length > 0) {
      throw new ConfigError(orphans.map((name) => `${name}: needs OIDC_ISSUER, which is not set`));
    }
    return undefined;
  }
  if (settings.OIDC_AUDIENCE === undefined) {
    throw new ConfigError(['OIDC_AUDIENCE: required when OIDC_ISSUER is set (not set)']);
  }
  return {
    issuer,
    audience: settings.OIDC_AUDIENCE,
    jwksUrl: settings.OIDC_JWKS_URL === undefined ? undefined : new URL(settings.OIDC_JWKS_URL),
    algorithms: settings.OIDC_ALGORITHMS,
    userIdClaim: settings.OIDC_USER_ID_CLAIM,
    roleClaim: settings.OIDC_ROLE_CLAIM,
    cooldownMs: settings.OIDC_JWKS_COOLDOWN_MS,
    cacheMaxAgeMs: settings.OIDC_JWKS_CACHE_MAX_AGE_MS,
  };
}
