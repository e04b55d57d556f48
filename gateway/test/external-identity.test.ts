import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  errorCodes,
  postGraphQL as post,
  startTestIdentityProvider,
  type TestIdentityProvider,
} from '@platform/testing';
import { bearer, startTestPlatform, type TestPlatform } from './test-platform.js';

/**
 * Tokens of an external OpenID Connect provider (a key pair of the test's own, served as a JWKS
 * on loopback) through the real gateway over HTTP, beside the platform's own tokens.
 */
const AUDIENCE = 'platform-api';
const ME = { query: '{ me { id name seenBy } }' };

let provider: TestIdentityProvider;
let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  provider = await startTestIdentityProvider();
  platform = await startTestPlatform({
    gatewayConfig: {
      // No OIDC_JWKS_URL: the key set is found through the provider's discovery document.
      OIDC_ISSUER: provider.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_ROLE_CLAIM: 'roles',
      // Refetch for every unknown kid, so the rotation below needs no wait.
      OIDC_JWKS_COOLDOWN_MS: 0,
    },
  });
  url = platform.gateway.url;
});

afterAll(async () => {
  await platform?.stop();
  await provider?.stop();
});

const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the gateway, given access tokens of an external identity provider,', () => {
  it('signs the caller in as the platform user its sub claim names', async () => {
    const token = await provider.sign({ sub: 'u-ext-1', aud: AUDIENCE });
    const result = await post(url, ME, asBearer(token));
    expect(result.status).toBe(200);
    const me = result.body.data?.me as { id: string; seenBy: string };
    expect(me.id).toBe('u-ext-1');
    expect(JSON.parse(me.seenBy)).toEqual({
      kind: 'user',
      userId: 'u-ext-1',
      role: 'USER',
      scopes: ['read', 'write'],
    });
  });

  it('makes an ADMIN of a caller whose role claim holds ADMIN', async () => {
    const token = await provider.sign({ sub: 'u-ext-2', aud: AUDIENCE, roles: ['ADMIN'] });
    const result = await post(url, ME, asBearer(token));
    expect(JSON.parse((result.body.data?.me as { seenBy: string }).seenBy)).toMatchObject({
      userId: 'u-ext-2',
      role: 'ADMIN',
    });
  });

  it('still accepts the platform’s own tokens', async () => {
    const result = await post(url, ME, await bearer('u-own'));
    expect(result.status).toBe(200);
    expect(result.body.data?.me).toMatchObject({ id: 'u-own' });
  });

  it('accepts tokens signed with a rotated key (new kid, new key set)', async () => {
    const fetchesBefore = provider.jwksFetches;
    const old = await provider.sign({ sub: 'u-before-rotation', aud: AUDIENCE });
    expect((await post(url, ME, asBearer(old))).status).toBe(200);

    await provider.rotate('ES256');
    const rotated = await provider.sign({ sub: 'u-after-rotation', aud: AUDIENCE });
    const result = await post(url, ME, asBearer(rotated));
    expect(result.status).toBe(200);
    expect(result.body.data?.me).toMatchObject({ id: 'u-after-rotation' });
    expect(provider.jwksFetches).toBeGreaterThan(fetchesBefore);
  });

  it.each<[string, () => Promise<string>, string]>([
    [
      'a token of another issuer',
      () => provider.sign({ iss: 'https://idp.elsewhere.example', sub: 'u', aud: AUDIENCE }),
      'The access token is invalid',
    ],
    [
      'a token for another audience',
      () => provider.sign({ sub: 'u', aud: 'another-api' }),
      'The access token is invalid',
    ],
    [
      'a token of an algorithm not allowed (PS256)',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { unpublishedKey: 'PS256' }),
      'The access token is invalid',
    ],
    [
      'a token signed with HS256',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { hmacSecret: 'h'.repeat(40) }),
      'The access token is invalid',
    ],
    [
      'a token signed by a key the provider never published',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { unpublishedKey: 'ES256' }),
      'The access token is invalid',
    ],
    [
      'an expired token',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { expiresAt: Date.now() / 1000 - 60 }),
      'The access token has expired',
    ],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_case, token, message) => {
    const result = await post(url, ME, asBearer(await token()));
    expect(result.status).toBe(401);
    expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
    expect(result.body.errors?.[0]?.message).toBe(message);
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 401, while the provider’s keys cannot be fetched', async () => {
    const gone = await startTestIdentityProvider();
    await gone.stop();
    const gateway = await platform.startAnotherGateway({
      gatewayConfig: { OIDC_ISSUER: gone.issuer, OIDC_AUDIENCE: AUDIENCE },
    });
    const token = await gone.sign({ sub: 'u-1', aud: AUDIENCE });
    const result = await post(gateway.url, ME, asBearer(token));
    expect(result.status).toBe(503);
    expect(errorCodes(result.body)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(platform.logs).toContain("The identity provider's signing keys cannot be fetched");
  });
});
