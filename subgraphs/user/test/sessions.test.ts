import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { userPrincipal } from '@platform/testing';
import { errorCodes } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const SESSION = 'token expiresAt refreshToken refreshTokenExpiresAt user { id role }';
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { ${SESSION} }
}`;
const REFRESH = `mutation ($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { ${SESSION} }
}`;
const SIGN_OUT = 'mutation ($refreshToken: String!) { signOut(refreshToken: $refreshToken) }';
const CHANGE_PASSWORD = `mutation ($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { ${SESSION} }
}`;

interface Session {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: { id: string; role: string };
}

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph({ env: { REFRESH_TOKEN_TTL_SECONDS: '3600' } });
});

afterAll(async () => {
  await api?.stop();
});

async function login(email: string, password: string): Promise<Session> {
  const result = await api.graphql<{ login: Session }>(LOGIN, { email, password });
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.login;
}

const refresh = (refreshToken: string) =>
  api.graphql<{ refreshSession: Session }>(REFRESH, { refreshToken });

describe('sessions', () => {
  it('stores only a hash of the refresh token login returns, which lives REFRESH_TOKEN_TTL_SECONDS', async () => {
    const account = await api.signUp();
    const session = await login(account.email, account.password);
    expect(session.refreshToken).toMatch(/^rt_[\w-]{43}$/);
    const ttl = (Date.parse(session.refreshTokenExpiresAt) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    const { rows } = await api.subgraph.pool.query<{ token_hash: string }>(
      'SELECT token_hash FROM refresh_tokens JOIN sessions s ON s.id = session_id WHERE s.user_id = $1',
      [account.id],
    );
    expect(rows.length).toBe(2); // sign-up's session and login's
    expect(rows.map((row) => row.token_hash)).not.toContain(session.refreshToken);
  });

  it('rotates the refresh token, and ends the session when a rotated one comes back', async () => {
    const account = await api.signUp();
    const first = await login(account.email, account.password);
    const second = (await refresh(first.refreshToken)).data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(account.id);

    expect(errorCodes(await refresh(first.refreshToken))).toEqual(['REFRESH_TOKEN_REUSED']);
    // The whole family is revoked: the token the legitimate client holds is refused too.
    expect(errorCodes(await refresh(second.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
  });

  it('lets exactly one of two concurrent refreshes with the same token through', async () => {
    const account = await api.signUp();
    const session = await login(account.email, account.password);
    const results = await Promise.all([
      refresh(session.refreshToken),
      refresh(session.refreshToken),
    ]);
    expect(results.flatMap(errorCodes).sort()).toEqual(['REFRESH_TOKEN_REUSED']);
  });

  it('refuses a refresh after sign-out, and signing out twice is not an error', async () => {
    const account = await api.signUp();
    const session = await login(account.email, account.password);
    const other = await login(account.email, account.password);
    expect((await api.graphql(SIGN_OUT, { refreshToken: session.refreshToken })).data).toEqual({
      signOut: true,
    });
    expect((await api.graphql(SIGN_OUT, { refreshToken: session.refreshToken })).data).toEqual({
      signOut: true,
    });
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    // Only that session ended.
    expect(errorCodes(await refresh(other.refreshToken))).toEqual([]);
  });

  it('refuses garbage and an expired session with INVALID_REFRESH_TOKEN', async () => {
    expect(errorCodes(await refresh('nope'))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(errorCodes(await refresh(`rt_${'a'.repeat(43)}`))).toEqual(['INVALID_REFRESH_TOKEN']);
    const account = await api.signUp();
    const session = await login(account.email, account.password);
    await api.subgraph.pool.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [account.id],
    );
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
  });

  it('puts the current role in the access token a refresh issues', async () => {
    const account = await api.signUp();
    const session = await login(account.email, account.password);
    await api.makeAdmin(account.id);
    expect((await refresh(session.refreshToken)).data?.refreshSession.user.role).toBe('ADMIN');
  });
});

describe('changePassword', () => {
  it('ends every session of the user, returns a new one, and the new password logs in', async () => {
    const account = await api.signUp();
    const elsewhere = await login(account.email, account.password);
    const result = await api.graphql<{ changePassword: Session }>(
      CHANGE_PASSWORD,
      { currentPassword: account.password, newPassword: 'a brand new passphrase' },
      account.principal,
    );
    expect(errorCodes(result)).toEqual([]);
    expect(errorCodes(await refresh(elsewhere.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(errorCodes(await refresh(result.data!.changePassword.refreshToken))).toEqual([]);
    const old = await api.graphql(LOGIN, { email: account.email, password: account.password });
    expect(errorCodes(old)).toEqual(['UNAUTHENTICATED']);
    await login(account.email, 'a brand new passphrase');
  });

  it('refuses a wrong current password (WRONG_PASSWORD), a short new one, and API keys', async () => {
    const account = await api.signUp();
    const change = (currentPassword: string, newPassword: string, principal = account.principal) =>
      api.graphql(CHANGE_PASSWORD, { currentPassword, newPassword }, principal);
    expect(errorCodes(await change('not my password', 'long enough password'))).toEqual([
      'WRONG_PASSWORD',
    ]);
    expect(errorCodes(await change(account.password, 'short'))).toEqual(['BAD_USER_INPUT']);
    const apiKey = {
      kind: 'apiKey' as const,
      userId: account.id,
      role: 'USER' as const,
      scopes: ['read' as const, 'write' as const],
      apiKeyId: '00000000-0000-4000-8000-000000000000',
    };
    expect(errorCodes(await change(account.password, 'long enough password', apiKey))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      errorCodes(
        await change(
          account.password,
          'long enough password',
          userPrincipal(account.id, { scopes: ['read'] }),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    await login(account.email, account.password);
  });
});
