import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyAccessToken } from '@platform/identity';
import { errorCodes } from '@platform/testing';
import { JWT_SECRET, startTestSubgraph, type TestSubgraph } from './harness.js';

const SIGN_UP = `mutation ($email: String!, $name: String!, $password: String!) {
  signUp(email: $email, name: $name, password: $password) {
    token expiresAt user { id email name role createdAt }
  }
}`;

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { id email } }
}`;

interface AuthPayload {
  token: string;
  expiresAt: string;
  user: { id: string; email: string; name: string; role: string; createdAt: string };
}

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph();
});

afterAll(async () => {
  await api?.stop();
});

describe('signUp', () => {
  it('creates a USER and returns an access token that verifies with JWT_SECRET', async () => {
    const result = await api.graphql<{ signUp: AuthPayload }>(SIGN_UP, {
      email: '  Ada@Example.com ',
      name: 'Ada Lovelace',
      password: 'analytical engine',
    });

    expect(result.errors).toBeUndefined();
    const payload = result.data!.signUp;
    expect(payload.user).toMatchObject({
      email: 'Ada@Example.com',
      name: 'Ada Lovelace',
      role: 'USER',
    });
    expect(await verifyAccessToken(payload.token, JWT_SECRET)).toEqual({
      userId: payload.user.id,
      role: 'USER',
    });
    const ttlSeconds = (Date.parse(payload.expiresAt) - Date.now()) / 1000;
    expect(ttlSeconds).toBeGreaterThan(500);
    expect(ttlSeconds).toBeLessThanOrEqual(600);
  });

  it('stores a salted scrypt hash, never the password', async () => {
    const first = await api.signUp({ password: 'same password' });
    const second = await api.signUp({ password: 'same password' });
    const { rows } = await api.subgraph.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = ANY($1::uuid[])',
      [[first.id, second.id]],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain('same password');
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  it('refuses an email already registered in another letter case with EMAIL_TAKEN', async () => {
    await api.signUp({ email: 'grace@example.com' });
    const result = await api.graphql(SIGN_UP, {
      email: 'GRACE@example.COM',
      name: 'Grace',
      password: 'long enough',
    });
    expect(result.data).toBeNull();
    expect(errorCodes(result)).toEqual(['EMAIL_TAKEN']);
  });

  it('refuses a malformed email with BAD_USER_INPUT naming the email argument', async () => {
    const result = await api.graphql(SIGN_UP, {
      email: 'not-an-email',
      name: 'X',
      password: 'long enough',
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argument).toBe('email');
  });

  it('refuses a password shorter than 8 characters with BAD_USER_INPUT', async () => {
    const result = await api.graphql(SIGN_UP, {
      email: 'short@example.com',
      name: 'Short',
      password: '1234567',
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argument).toBe('password');
  });

  it('refuses a blank name with BAD_USER_INPUT', async () => {
    const result = await api.graphql(SIGN_UP, {
      email: 'blank@example.com',
      name: '   ',
      password: 'long enough',
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argument).toBe('name');
  });
});

describe('login', () => {
  it('returns a token for the right password, whatever the email letter case', async () => {
    const user = await api.signUp({ email: 'linus@example.com', password: 'penguins rule' });
    const result = await api.graphql<{ login: AuthPayload }>(LOGIN, {
      email: 'Linus@Example.com',
      password: 'penguins rule',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.login.user.id).toBe(user.id);
    expect(await verifyAccessToken(result.data!.login.token, JWT_SECRET)).toEqual({
      userId: user.id,
      role: 'USER',
    });
  });

  it('refuses a wrong password and an unknown email alike with UNAUTHENTICATED', async () => {
    const user = await api.signUp();
    const wrongPassword = await api.graphql(LOGIN, { email: user.email, password: 'wrong one!' });
    const unknownEmail = await api.graphql(LOGIN, {
      email: 'nobody@example.com',
      password: user.password,
    });

    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(unknownEmail)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors![0]!.message).toBe(unknownEmail.errors![0]!.message);
  });
});
