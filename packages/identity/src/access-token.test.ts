import { describe, expect, it } from '@jest/globals';
import { AccessTokenError, issueAccessToken, verifyAccessToken } from './access-token.js';

const secret = 'k'.repeat(32);

async function rejection(token: string): Promise<string | undefined> {
  try {
    await verifyAccessToken(token, secret);
  } catch (error) {
    if (error instanceof AccessTokenError) return error.reason;
    throw error;
  }
  return undefined;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('verifies a token it issued', async () => {
    const { token } = await issueAccessToken({ userId: 'u1', role: 'ADMIN' }, secret, 60);
    expect(await verifyAccessToken(token, secret)).toEqual({ userId: 'u1', role: 'ADMIN' });
  });

  it('rejects an expired token as expired', async () => {
    const { token } = await issueAccessToken({ userId: 'u1', role: 'USER' }, secret, -10);
    expect(await rejection(token)).toBe('expired');
  });

  it('rejects a token signed with another secret', async () => {
    const { token } = await issueAccessToken({ userId: 'u1', role: 'USER' }, 'x'.repeat(32), 60);
    expect(await rejection(token)).toBe('invalid');
  });

  it("rejects an unsigned token with alg 'none'", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: 'u1',
      role: 'ADMIN',
      iss: 'platform',
      aud: 'platform-api',
      exp: now + 60,
    };
    expect(await rejection(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`)).toBe('invalid');
  });

  it('rejects garbage', async () => {
    expect(await rejection('not-a-jwt')).toBe('invalid');
  });
});
