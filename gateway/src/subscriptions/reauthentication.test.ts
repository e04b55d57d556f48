import { describe, expect, it } from '@jest/globals';
import { issueAccessToken } from '@platform/identity';
import { recordingLogger, userPrincipal } from '@platform/testing';
import { authenticator } from '../auth/authenticate.js';
import { accessTokenExpiry, watchCredential } from './reauthentication.js';

const secret = 's'.repeat(32);

describe('the expiry of an access token socket', () => {
  it('reads the exp of a bearer token, and nothing from anything else', async () => {
    const { token, expiresAt } = await issueAccessToken({ userId: 'u1', role: 'USER' }, secret, 60);
    expect(accessTokenExpiry({ authorization: `Bearer ${token}` })).toBe(expiresAt.getTime());
    expect(accessTokenExpiry({ Authorization: `bearer  ${token}` })).toBe(expiresAt.getTime());
    for (const params of [
      undefined,
      {},
      { apiKey: token },
      { authorization: `ApiKey ${token}` },
      { authorization: 'Bearer not-a-jwt' },
      { authorization: 'Bearer a.!!!.c' },
      { authorization: `Bearer x.${Buffer.from('{"exp":"soon"}').toString('base64url')}.y` },
      { authorization: 42 },
    ]) {
      expect(accessTokenExpiry(params)).toBeUndefined();
    }
  });

  it('closes the socket 4401 when the token expires, and not after the watch stopped', async () => {
    const { token } = await issueAccessToken({ userId: 'u1', role: 'USER' }, secret, 1);
    const params = { authorization: `Bearer ${token}` };
    const watch = (closes: unknown[]) =>
      watchCredential({
        socket: { close: (code, reason) => closes.push({ code, reason }) },
        authenticate: authenticator({ jwtSecret: secret, verifyApiKey: async () => undefined }),
        params,
        principal: userPrincipal('u1'),
        everyMs: 10,
        logger: recordingLogger('reauthentication-test').logger,
      });
    const closed: unknown[] = [];
    const stoppedEarly: unknown[] = [];
    watch(closed);
    watch(stoppedEarly)();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(closed).toEqual([{ code: 4401, reason: 'Unauthorized' }]);
    expect(stoppedEarly).toEqual([]);
  });
});
