import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestIdentityProvider, type TestIdentityProvider } from '@platform/testing';
import { AccessTokenError } from './access-token.js';
import {
  KeySetUnavailableError,
  externalAccessTokenVerifier,
  type ExternalAccessTokenOptions,
  type ExternalAccessTokenVerifier,
} from './external-access-token.js';

const AUDIENCE = 'platform-api-client';

let provider: TestIdentityProvider;
beforeAll(async () => {
  provider = await startTestIdentityProvider();
});
afterAll(async () => {
  await provider.stop();
});

const verifierFor = (options: Partial<ExternalAccessTokenOptions> = {}) =>
  externalAccessTokenVerifier({
    issuer: provider.issuer,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256'],
    cooldownMs: 0,
    ...options,
  });

async function rejection(verifier: ExternalAccessTokenVerifier, token: string) {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof AccessTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('external access tokens', () => {
  it('maps a valid token of the provider, found by discovery, to its platform user', async () => {
    const token = await provider.sign({ sub: 'u-1', aud: AUDIENCE });
    const verifier = verifierFor();
    expect(verifier.claimsIssuer(token)).toBe(true);
    expect(await verifier.verify(token)).toEqual({ userId: 'u-1', role: 'USER' });
  });

  it('reads the user id and the role from the configured claims', async () => {
    const verifier = verifierFor({ userIdClaim: 'platform_user_id', roleClaim: 'roles' });
    const admin = await provider.sign({
      sub: 'idp-123',
      platform_user_id: 'u-7',
      roles: ['reader', 'ADMIN'],
      aud: AUDIENCE,
    });
    expect(await verifier.verify(admin)).toEqual({ userId: 'u-7', role: 'ADMIN' });
    const user = await provider.sign({ sub: 'idp-1', platform_user_id: 'u-8', aud: AUDIENCE });
    expect(await verifier.verify(user)).toEqual({ userId: 'u-8', role: 'USER' });
    const noUserId = await provider.sign({ sub: 'idp-123', aud: AUDIENCE });
    expect(await rejection(verifier, noUserId)).toBe('invalid');
  });

  it('ignores a role claim unless one is configured', async () => {
    const token = await provider.sign({ sub: 'u-1', roles: 'ADMIN', aud: AUDIENCE });
    expect(await verifierFor().verify(token)).toEqual({ userId: 'u-1', role: 'USER' });
  });

  it('does not claim a token of another issuer or a malformed one', async () => {
    const verifier = verifierFor();
    expect(verifier.claimsIssuer(await provider.sign({ iss: 'platform', sub: 'u' }))).toBe(false);
    expect(verifier.claimsIssuer('not-a-jwt')).toBe(false);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['for another audience', () => provider.sign({ sub: 'u', aud: 'someone-else' }), 'invalid'],
    ['without an audience', () => provider.sign({ sub: 'u' }), 'invalid'],
    [
      'expired',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { expiresAt: Date.now() / 1000 - 60 }),
      'expired',
    ],
    [
      'of an algorithm not allowed (PS256)',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { unpublishedKey: 'PS256' }),
      'invalid',
    ],
    [
      'signed with HS256',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { hmacSecret: 's'.repeat(32) }),
      'invalid',
    ],
    [
      'signed by a key the provider never published',
      () => provider.sign({ sub: 'u', aud: AUDIENCE }, { unpublishedKey: 'RS256' }),
      'invalid',
    ],
  ])('refuses a token %s', async (_case, token, reason) => {
    expect(await rejection(verifierFor(), await token())).toBe(reason);
  });

  it('refuses a token of another issuer even when its key is the provider’s', async () => {
    const verifier = verifierFor({ jwksUrl: new URL(provider.jwksUrl) });
    const token = await provider.sign({ iss: 'https://elsewhere', sub: 'u', aud: AUDIENCE });
    expect(await rejection(verifier, token)).toBe('invalid');
  });

  it('picks up a rotated key and refuses no-longer-published keys once it refetched', async () => {
    const verifier = verifierFor({ jwksUrl: new URL(provider.jwksUrl) });
    const before = await provider.sign({ sub: 'u-old', aud: AUDIENCE });
    expect(await verifier.verify(before)).toMatchObject({ userId: 'u-old' });
    await provider.rotate('ES256');
    const after = await provider.sign({ sub: 'u-new', aud: AUDIENCE });
    expect(await verifier.verify(after)).toMatchObject({ userId: 'u-new' });
    expect(await rejection(verifier, before)).toBe('invalid');
  });

  it('refuses configured algorithms that are symmetric or none', () => {
    expect(() => verifierFor({ algorithms: ['RS256', 'HS256'] })).toThrow(/HS256/);
    expect(() => verifierFor({ algorithms: ['none'] })).toThrow(/none/);
  });

  it('says the keys are unavailable, not that the token is bad, when the provider is down', async () => {
    const down = await startTestIdentityProvider();
    await down.stop();
    const verifier = externalAccessTokenVerifier({
      issuer: down.issuer,
      audience: AUDIENCE,
      algorithms: ['RS256'],
    });
    const token = await down.sign({ sub: 'u', aud: AUDIENCE });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(KeySetUnavailableError);
  });
});
