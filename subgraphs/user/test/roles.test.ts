import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPrincipal, errorCodes } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const SET_ROLE = `mutation ($userId: ID!, $role: Role!) {
  setUserRole(userId: $userId, role: $role) { id role }
}`;
const USERS = `query ($search: String, $role: Role) {
  users(first: 50, search: $search, role: $role) { edges { node { id email role } } }
}`;
const SIGN_UP = `mutation ($email: String!, $password: String!) {
  signUp(email: $email, name: "Boot", password: $password) { user { id role } }
}`;
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { user { id role } }
}`;

const bootEmail = `Boot-${randomUUID()}@Example.com`;
const lateEmail = `late-${randomUUID()}@example.com`;
let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph({
    env: { ADMIN_EMAILS: ` ${bootEmail.toLowerCase()}, ${lateEmail}` },
  });
});

afterAll(async () => {
  await api?.stop();
});

const roleOf = async (id: string) =>
  (await api.subgraph.pool.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [id]))
    .rows[0]?.role;

describe('ADMIN_EMAILS', () => {
  it('makes a listed address ADMIN at sign-up, whatever its letter case', async () => {
    const result = await api.graphql<{ signUp: { user: { role: string } } }>(SIGN_UP, {
      email: bootEmail,
      password: 'bootstrap password',
    });
    expect(result.data?.signUp.user.role).toBe('ADMIN');
  });

  it('makes a listed account that signed up as USER an ADMIN when it logs in', async () => {
    const account = await api.signUp({ email: lateEmail });
    await api.subgraph.pool.query(`UPDATE users SET role = 'USER' WHERE id = $1`, [account.id]);
    const result = await api.graphql<{ login: { user: { role: string } } }>(LOGIN, {
      email: lateEmail,
      password: account.password,
    });
    expect(result.data?.login.user.role).toBe('ADMIN');
    expect(await roleOf(account.id)).toBe('ADMIN');
  });

  it('leaves everyone else a USER', async () => {
    const account = await api.signUp();
    expect(await roleOf(account.id)).toBe('USER');
  });

  it('refuses to start with an entry that is not an email address', async () => {
    await expect(startTestSubgraph({ env: { ADMIN_EMAILS: 'root' } })).rejects.toThrow(
      /ADMIN_EMAILS/,
    );
  });
});

describe('setUserRole', () => {
  it('lets an administrator promote and demote, and a USER do neither', async () => {
    const admin = await api.makeAdmin((await api.signUp()).id);
    const user = await api.signUp();
    expect(
      errorCodes(await api.graphql(SET_ROLE, { userId: user.id, role: 'ADMIN' }, user.principal)),
    ).toEqual(['FORBIDDEN']);
    const promoted = await api.graphql(SET_ROLE, { userId: user.id, role: 'ADMIN' }, admin);
    expect(promoted.data).toEqual({ setUserRole: { id: user.id, role: 'ADMIN' } });
    const demoted = await api.graphql(SET_ROLE, { userId: user.id, role: 'USER' }, admin);
    expect(demoted.data).toEqual({ setUserRole: { id: user.id, role: 'USER' } });
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT for a malformed id', async () => {
    const admin = await api.makeAdmin((await api.signUp()).id);
    expect(
      errorCodes(await api.graphql(SET_ROLE, { userId: randomUUID(), role: 'ADMIN' }, admin)),
    ).toEqual(['NOT_FOUND']);
    expect(errorCodes(await api.graphql(SET_ROLE, { userId: 'x', role: 'ADMIN' }, admin))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

describe('the last administrator', () => {
  it('cannot be demoted (LAST_ADMIN), even by two admins demoting each other at once', async () => {
    const fresh = await startTestSubgraph();
    try {
      const a = await fresh.signUp();
      const b = await fresh.signUp();
      await fresh.makeAdmin(a.id);
      await fresh.makeAdmin(b.id);
      const results = await Promise.all([
        fresh.graphql(SET_ROLE, { userId: b.id, role: 'USER' }, adminPrincipal(a.id)),
        fresh.graphql(SET_ROLE, { userId: a.id, role: 'USER' }, adminPrincipal(b.id)),
      ]);
      expect(results.flatMap(errorCodes)).toEqual(['LAST_ADMIN']);
      const { rows } = await fresh.subgraph.pool.query(`SELECT id FROM users WHERE role = 'ADMIN'`);
      expect(rows).toHaveLength(1);
      const last = rows[0]!.id as string;
      expect(
        errorCodes(
          await fresh.graphql(SET_ROLE, { userId: last, role: 'USER' }, adminPrincipal(last)),
        ),
      ).toEqual(['LAST_ADMIN']);
    } finally {
      await fresh.stop();
    }
  });
});

describe('users (the admin list)', () => {
  it('finds users by a substring of name or email and by role', async () => {
    const admin = await api.makeAdmin((await api.signUp()).id);
    const marker = randomUUID().slice(0, 8);
    const ada = await api.signUp({ email: `ada.${marker}@example.com`, name: 'Ada' });
    const bob = await api.signUp({ name: `Bob 100%_${marker}` });
    const list = async (variables: Record<string, unknown>) =>
      (
        await api.graphql<{ users: { edges: Array<{ node: { id: string; role: string } }> } }>(
          USERS,
          variables,
          admin,
        )
      ).data!.users.edges.map((edge) => edge.node.id);
    expect(await list({ search: marker.toUpperCase() })).toEqual([ada.id, bob.id]);
    expect(await list({ search: `100%_${marker}` })).toEqual([bob.id]);
    expect(await list({ search: '100%' })).toEqual([bob.id]);
    const admins = await list({ role: 'ADMIN' });
    expect(admins).toContain(admin.kind === 'user' ? admin.userId : '');
    expect(admins).not.toContain(ada.id);
  });
});
