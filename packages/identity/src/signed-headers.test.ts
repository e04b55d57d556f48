import { describe, expect, it } from '@jest/globals';
import {
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
