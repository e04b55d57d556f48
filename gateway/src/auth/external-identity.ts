import {
  KeySetUnavailableError,
  externalAccessTokenVerifier,
  type ExternalAccessTokenVerifier,
} from '@platform/identity';
import type { Logger } from '@platform/logger';
import { externalIdentityConfig, type ExternalIdentitySettings } from './config.js';

/**
 * The verifier of the external OpenID Connect provider's tokens (OIDC_*), or undefined when none
 * is configured; what it accepts is logged once at start. A failure to fetch the provider's keys
 * is logged with its cause, since the caller is only told to try again.
 */
export function externalIdentity(
  settings: ExternalIdentitySettings,
  logger: Logger,
): ExternalAccessTokenVerifier | undefined {
  const options = externalIdentityConfig(settings);
  if (!options) return undefined;
  const verifier = externalAccessTokenVerifier(options);
  const log = logger.child({ component: 'external-identity' });
  log.info(
    {
      issuer: options.issuer,
      audience: options.audience,
      jwksUrl: options.jwksUrl?.href ?? 'discovered',
      algorithms: options.algorithms,
    },
    'accepting access tokens of an external identity provider',
  );
  return {
    claimsIssuer: verifier.claimsIssuer,
    async verify(token) {
      try {
        return await verifier.verify(token);
      } catch (error) {
        if (error instanceof KeySetUnavailableError) {
          log.error({ err: error.cause, issuer: options.issuer }, error.message);
        }
        throw error;
      }
    },
  };
}
