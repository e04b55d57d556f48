import { describe, expect, it } from '@jest/globals';
import {
  cachedIdentityVerifier,
  IDENTITY_HEADER,
  IdentityError,
  SIGNATURE_HEADER,
  signIdentity,
  verifyIdentity,
  type Principal,
} from './index.js';

const secret = 's'.repeat(32);
const alice: Principal = { kind: 'user', userId: 'u1', role: 'USER', scopes: ['read', 'write'] };

function rejection(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof IdentityError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('gateway identity headers', () => {
  it('round-trips a principal signed with the shared secret', () => {
    expect(verifyIdentity(signIdentity(alice, secret), secret)).toEqual(alice);
  });

  it('refuses a request with no signature', () => {
    expect(rejection(() => verifyIdentity({ 'x-user-id': 'u1' }, secret))).toBe('missing');
  });

  it('refuses headers signed with another secret', () => {
    const headers = signIdentity(alice, 'o'.repeat(32));
    expect(rejection(() => verifyIdentity(headers, secret))).toBe('bad-signature');
  });

  it('refuses a principal altered after signing', () => {
    const headers = signIdentity(alice, secret);
    const admin = { ...alice, role: 'ADMIN' };
    headers[IDENTITY_HEADER] = Buffer.from(JSON.stringify(admin)).toString('base64url');
    expect(rejection(() => verifyIdentity(headers, secret))).toBe('bad-signature');
  });

  it('refuses a signature older than the allowed age', () => {
    const headers = signIdentity(alice, secret, Date.now() - 120_000);
    expect(rejection(() => verifyIdentity(headers, secret, { maxAgeSeconds: 60 }))).toBe('stale');
  });

  it('refuses a truncated signature without throwing anything else', () => {
    const headers = signIdentity(alice, secret);
    headers[SIGNATURE_HEADER] = headers[SIGNATURE_HEADER]!.slice(0, 10);
    expect(rejection(() => verifyIdentity(headers, secret))).toBe('bad-signature');
  });
});

describe('cachedIdentityVerifier', () => {
  it('answers a repeated header set with the principal it verified', () => {
    const verify = cachedIdentityVerifier(secret);
    const headers = signIdentity(alice, secret);
    expect(verify(headers)).toEqual(alice);
    expect(verify({ ...headers })).toEqual(alice);
  });

  it('refuses a remembered header set once it has gone stale', () => {
    const verify = cachedIdentityVerifier(secret, { maxAgeSeconds: 60 });
    const signedAt = Date.now();
    const headers = signIdentity(alice, secret, signedAt);
    expect(verify(headers, signedAt)).toEqual(alice);
    expect(rejection(() => verify(headers, signedAt + 61_000))).toBe('stale');
  });

  it('verifies in full a set that differs from a remembered one in any header', () => {
    const verify = cachedIdentityVerifier(secret);
    const headers = signIdentity(alice, secret);
    verify(headers);
    const admin = { ...alice, role: 'ADMIN' };
    const altered = {
      ...headers,
      [IDENTITY_HEADER]: Buffer.from(JSON.stringify(admin)).toString('base64url'),
    };
    expect(rejection(() => verify(altered))).toBe('bad-signature');
    expect(rejection(() => verify({ ...headers, [SIGNATURE_HEADER]: 'x' }))).toBe('bad-signature');
  });

  it('never remembers a failure: a bad set stays refused, a good one still verifies', () => {
    const verify = cachedIdentityVerifier(secret, { maxEntries: 1 });
    const forged = signIdentity(alice, 'o'.repeat(32));
    expect(rejection(() => verify(forged))).toBe('bad-signature');
    expect(rejection(() => verify(forged))).toBe('bad-signature');
    const bob = signIdentity({ ...alice, userId: 'u2' }, secret);
    expect(verify(signIdentity(alice, secret))).toEqual(alice);
    expect(verify(bob)).toEqual({ ...alice, userId: 'u2' });
    expect(verify(signIdentity(alice, secret))).toEqual(alice);
  });

  it('hands out a frozen principal, so one request cannot change what the next is given', () => {
    const verify = cachedIdentityVerifier(secret);
    const principal = verify(signIdentity(alice, secret));
    expect(Object.isFrozen(principal)).toBe(true);
    expect('scopes' in principal && Object.isFrozen(principal.scopes)).toBe(true);
  });
});
