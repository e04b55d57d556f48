import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { externalIdentityConfig, externalIdentitySettings } from './config.js';

const load = (env: NodeJS.ProcessEnv) =>
  externalIdentityConfig(loadConfig(z.object(externalIdentitySettings), env));

const ISSUER = 'https://idp.example.com/realms/acme';

describe('external identity settings', () => {
  it('are off when OIDC_ISSUER is unset or empty', () => {
    expect(load({})).toBeUndefined();
    expect(load({ OIDC_ISSUER: '' })).toBeUndefined();
  });

  it('default to discovery, RS256 and ES256, and the sub claim', () => {
    expect(load({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'api' })).toEqual({
      issuer: ISSUER,
      audience: 'api',
      jwksUrl: undefined,
      algorithms: ['RS256', 'ES256'],
      userIdClaim: 'sub',
      roleClaim: undefined,
      cooldownMs: 30_000,
      cacheMaxAgeMs: 600_000,
    });
  });

  it('read every setting', () => {
    expect(
      load({
        OIDC_ISSUER: ISSUER,
        OIDC_AUDIENCE: 'api',
        OIDC_JWKS_URL: `${ISSUER}/protocol/openid-connect/certs`,
        OIDC_ALGORITHMS: 'ES384, PS256',
        OIDC_USER_ID_CLAIM: 'platform_user_id',
        OIDC_ROLE_CLAIM: 'platform_roles',
        OIDC_JWKS_COOLDOWN_MS: '1000',
        OIDC_JWKS_CACHE_MAX_AGE_MS: '60000',
      }),
    ).toEqual({
      issuer: ISSUER,
      audience: 'api',
      jwksUrl: new URL(`${ISSUER}/protocol/openid-connect/certs`),
      algorithms: ['ES384', 'PS256'],
      userIdClaim: 'platform_user_id',
      roleClaim: 'platform_roles',
      cooldownMs: 1000,
      cacheMaxAgeMs: 60_000,
    });
  });

  it.each([
    [{ OIDC_ISSUER: ISSUER }, /OIDC_AUDIENCE: required when OIDC_ISSUER is set/],
    [{ OIDC_AUDIENCE: 'api' }, /OIDC_AUDIENCE: needs OIDC_ISSUER/],
    [{ OIDC_JWKS_URL: 'https://idp/certs' }, /OIDC_JWKS_URL: needs OIDC_ISSUER/],
    [{ OIDC_ISSUER: 'not a url', OIDC_AUDIENCE: 'api' }, /OIDC_ISSUER: /],
    [
      { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'api', OIDC_ALGORITHMS: 'RS256,HS256' },
      /OIDC_ALGORITHMS: HS256 refused/,
    ],
    [
      { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'api', OIDC_ALGORITHMS: 'none' },
      /OIDC_ALGORITHMS: none refused/,
    ],
    [
      { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'api', OIDC_ALGORITHMS: 'RS257' },
      /OIDC_ALGORITHMS: RS257 unknown/,
    ],
    [
      { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'api', OIDC_ALGORITHMS: ' , ' },
      /OIDC_ALGORITHMS: must name at least one/,
    ],
  ])('refuse %j, naming the variable', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });
});
