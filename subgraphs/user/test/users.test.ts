import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '@platform/identity';
import { errorCodes, userPrincipal } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const USERS_PAGE = `query ($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges { cursor node { id email } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface UsersPage {
  users: {
    edges: Array<{ cursor: string; node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

let api: TestSubgraph;
let admin: Principal;

beforeAll(async () => {
  api = await startTestSubgraph();
  admin = await api.makeAdmin((await api.signUp()).id);
});

afterAll(async () => {
  await api?.stop();
});

describe('me', () => {
  it('answers the caller', async () => {
    const user = await api.signUp({ name: 'Me Myself' });
    const result = await api.graphql('{ me { id email name role } }', {}, user.principal);
    expect(result.data).toEqual({
      me: { id: user.id, email: user.email, name: 'Me Myself', role: 'USER' },
    });
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const result = await api.graphql('{ me { id } }');
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('user(id)', () => {
  it('answers any authenticated caller', async () => {
    const other = await api.signUp();
    const caller = await api.signUp();
    const result = await api.graphql(
      'query ($id: ID!) { user(id: $id) { id } }',
      { id: other.id },
      caller.principal,
    );
    expect(result.data).toEqual({ user: { id: other.id } });
  });

  it('answers null, not an error, for an unknown id or one that is not a uuid', async () => {
    const caller = userPrincipal(randomUUID());
    for (const id of ['not-a-uuid', randomUUID(), "'; DROP TABLE users; --"]) {
      const result = await api.graphql('query ($id: ID!) { user(id: $id) { id } }', { id }, caller);
      expect(result).toEqual({ status: 200, data: { user: null } });
    }
  });
});

describe('users', () => {
  it('is refused to a caller who is not an administrator (FORBIDDEN)', async () => {
    const user = await api.signUp();
    const result = await api.graphql(USERS_PAGE, { first: 5 }, user.principal);
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });

  it('pages through every user oldest first, each exactly once', async () => {
    await api.subgraph.pool.query(
      `INSERT INTO users (email, name, password_hash, created_at)
       SELECT 'page' || n || '@example.com', 'P', 'h', '2020-01-01T00:00:00.000001Z'
       FROM generate_series(1, 5) AS n`,
    );
    const expected = await api.subgraph.pool.query<{ id: string }>(
      'SELECT id FROM users ORDER BY created_at, id',
    );

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: UsersPage | null } = await api.graphql<UsersPage>(
        USERS_PAGE,
        { first: 2, after },
        admin,
      );
      seen.push(...page.data!.users.edges.map((edge) => edge.node.id));
      if (!page.data!.users.pageInfo.hasNextPage) break;
      after = page.data!.users.pageInfo.endCursor;
    }

    expect(seen).toEqual(expected.rows.map((row) => row.id));
  });

  it('refuses a cursor it did not issue and a page size out of bounds with BAD_USER_INPUT', async () => {
    const forged = Buffer.from(JSON.stringify({ at: 'yesterday', id: 'x' })).toString('base64url');
    const badCursor = await api.graphql(USERS_PAGE, { first: 2, after: forged }, admin);
    const tooMany = await api.graphql(USERS_PAGE, { first: 1000 }, admin);

    expect(errorCodes(badCursor)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});
