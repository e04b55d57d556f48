import { describe, expect, it } from '@jest/globals';
import {
  IDENTITY_HEADER,
  IdentityError,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  encodePrincipal,
  signIdentity,
  subgraphIdentityVerifier,
  verifyIdentity,
  type Principal,
} from './index.js';

const secret = 's'.repeat(32);
const alice: Principal = { kind: 'user', userId: 'u1', role: 'USER', scopes: ['read', 'write'] };
const body = JSON.stringify({ query: '{ me { id } }' });
const request = { secret, subgraph: 'user', body };

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
  it('round-trips a principal signed for this subgraph and body', () => {
    expect(verifyIdentity(signIdentity(alice, request), request)).toEqual(alice);
  });

  it('refuses a request with no signature', () => {
    expect(rejection(() => verifyIdentity({ 'x-user-id': 'u1' }, request))).toBe('missing');
  });

  it('refuses headers signed with another secret', () => {
    const headers = signIdentity(alice, { ...request, secret: 'o'.repeat(32) });
    expect(rejection(() => verifyIdentity(headers, request))).toBe('bad-signature');
  });

  it('refuses a principal altered after signing', () => {
    const headers = signIdentity(alice, request);
    headers[IDENTITY_HEADER] = encodePrincipal({ ...alice, role: 'ADMIN' });
    expect(rejection(() => verifyIdentity(headers, request))).toBe('bad-signature');
  });

  it('refuses headers signed for another subgraph', () => {
    const headers = signIdentity(alice, { ...request, subgraph: 'data' });
    expect(rejection(() => verifyIdentity(headers, request))).toBe('bad-signature');
  });

  it('refuses headers presented with another body, even one byte longer', () => {
    const headers = signIdentity(alice, request);
    expect(rejection(() => verifyIdentity(headers, { ...request, body: `${body} ` }))).toBe(
      'bad-signature',
    );
    expect(rejection(() => verifyIdentity(headers, { ...request, body: undefined }))).toBe(
      'bad-signature',
    );
  });

  it('hashes a string body as its UTF-8 bytes', () => {
    const unicode = JSON.stringify({ query: '{ __typename }', variables: { name: 'Zoë 🚀' } });
    const headers = signIdentity(alice, { ...request, body: unicode });
    expect(verifyIdentity(headers, { ...request, body: Buffer.from(unicode, 'utf8') })).toEqual(
      alice,
    );
  });

  it('accepts a signature up to 30 s old and refuses one a second older', () => {
    const signedAt = 1_700_000_000_000;
    const headers = signIdentity(alice, { ...request, now: signedAt });
    expect(verifyIdentity(headers, { ...request, now: signedAt + 30_999 })).toEqual(alice);
    expect(rejection(() => verifyIdentity(headers, { ...request, now: signedAt + 31_000 }))).toBe(
      'expired',
    );
  });

  it('accepts a signature up to 5 s ahead of the clock and refuses one further ahead', () => {
    const now = 1_700_000_000_000;
    const ahead = (ms: number) => signIdentity(alice, { ...request, now: now + ms });
    expect(verifyIdentity(ahead(5_000), { ...request, now })).toEqual(alice);
    expect(rejection(() => verifyIdentity(ahead(6_000), { ...request, now }))).toBe('future');
  });

  it('refuses a timestamp that is not plain decimal seconds', () => {
    for (const timestamp of ['1.7e9', '-5', ' 1700000000', '0x10']) {
      const headers = { ...signIdentity(alice, request), [TIMESTAMP_HEADER]: timestamp };
      expect(rejection(() => verifyIdentity(headers, request))).toBe('malformed');
    }
  });

  it('refuses a truncated signature without throwing anything else', () => {
    const headers = signIdentity(alice, request);
    headers[SIGNATURE_HEADER] = headers[SIGNATURE_HEADER]!.slice(0, 10);
    expect(rejection(() => verifyIdentity(headers, request))).toBe('bad-signature');
  });
});

describe('subgraphIdentityVerifier', () => {
  it('answers a repeated identity with the principal it decoded, for any body it signs', () => {
    const verify = subgraphIdentityVerifier(secret, 'user');
    expect(verify(signIdentity(alice, request), body)).toEqual(alice);
    const other = '{"query":"{ __typename }"}';
    expect(verify(signIdentity(alice, { ...request, body: other }), other)).toEqual(alice);
  });

  it('checks the body and the window of a remembered identity every time', () => {
    const verify = subgraphIdentityVerifier(secret, 'user');
    const signedAt = Date.now();
    const headers = signIdentity(alice, { ...request, now: signedAt });
    expect(verify(headers, body, signedAt)).toEqual(alice);
    expect(rejection(() => verify(headers, '{}', signedAt))).toBe('bad-signature');
    expect(rejection(() => verify(headers, body, signedAt + 60_000))).toBe('expired');
  });

  it('is bound to its own subgraph name', () => {
    const verify = subgraphIdentityVerifier(secret, 'data');
    expect(rejection(() => verify(signIdentity(alice, request), body))).toBe('bad-signature');
  });

  it('never remembers a failure: a bad set stays refused, a good one still verifies', () => {
    const verify = subgraphIdentityVerifier(secret, 'user', { maxEntries: 1 });
    const forged = signIdentity(alice, { ...request, secret: 'o'.repeat(32) });
    expect(rejection(() => verify(forged, body))).toBe('bad-signature');
    expect(rejection(() => verify(forged, body))).toBe('bad-signature');
    const bob = { ...alice, userId: 'u2' };
    expect(verify(signIdentity(alice, request), body)).toEqual(alice);
    expect(verify(signIdentity(bob, request), body)).toEqual(bob);
    expect(verify(signIdentity(alice, request), body)).toEqual(alice);
  });

  it('hands out a frozen principal, so one request cannot change what the next is given', () => {
    const verify = subgraphIdentityVerifier(secret, 'user');
    const principal = verify(signIdentity(alice, request), body);
    expect(Object.isFrozen(principal)).toBe(true);
    expect('scopes' in principal && Object.isFrozen(principal.scopes)).toBe(true);
  });
});
