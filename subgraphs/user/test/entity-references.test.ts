import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, userPrincipal } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const USER_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id email name role } }
}`;

const ORGANIZATION_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Organization { id name } }
}`;

type Entities = { _entities: Array<{ id: string } | null> };

let api: TestSubgraph;
let userIds: string[];

beforeAll(async () => {
  api = await startTestSubgraph();
  const { rows } = await api.subgraph.pool.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'reference' || n || '@example.com', 'User ' || n, 'not a real hash'
     FROM generate_series(1, 100) AS n RETURNING id`,
  );
  userIds = rows.map((row) => row.id);
});

afterAll(async () => {
  await api?.stop();
});

const references = (typename: string, ids: string[]) =>
  ids.map((id) => ({ __typename: typename, id }));

describe('entity references', () => {
  it('resolves 100 User references with one batch, and their e-mail rule with one more SQL query', async () => {
    // A stranger to all of them: no shared project said, so their organizations are looked up.
    const caller = userPrincipal(randomUUID());
    const batchesBefore = await api.metric('user_reference_batches_total', { type: 'User' });
    const queriesBefore = await api.metric('user_sql_queries_total');

    const result = await api.graphql<Entities>(
      USER_ENTITIES,
      { representations: references('User', userIds) },
      caller,
    );

    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((user) => user?.id)).toEqual(userIds);
    const emails = result.data!._entities.map((user) => (user as { email?: string | null }).email);
    expect(emails).toEqual(userIds.map(() => null));
    expect(await api.metric('user_reference_batches_total', { type: 'User' })).toBe(
      batchesBefore + 1,
    );
    // The users, then the memberships of the caller and of all 100 users in one statement.
    expect(await api.metric('user_sql_queries_total')).toBe(queriesBefore + 2);
  });

  it('resolves references that are not uuids, or unknown, to null without failing the batch', async () => {
    const ids = [userIds[0]!, 'not-a-uuid', randomUUID(), userIds[1]!.toUpperCase()];

    const result = await api.graphql<Entities>(
      USER_ENTITIES,
      { representations: references('User', ids) },
      userPrincipal(randomUUID()),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((user) => user?.id ?? null)).toEqual([
      userIds[0],
      null,
      null,
      userIds[1],
    ]);
  });

  it('refuses User references to anonymous callers', async () => {
    const result = await api.graphql(USER_ENTITIES, {
      representations: references('User', userIds.slice(0, 1)),
    });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves an Organization reference for its members only', async () => {
    const member = await api.signUp();
    const outsider = await api.signUp();
    const created = await api.graphql<{ createOrganization: { id: string } }>(
      'mutation { createOrganization(name: "Referenced") { id } }',
      {},
      member.principal,
    );
    const organizationId = created.data!.createOrganization.id;
    const representations = references('Organization', [organizationId, 'bad id']);

    const batchesBefore = await api.metric('user_reference_batches_total', {
      type: 'Organization',
    });
    const asMember = await api.graphql<Entities>(
      ORGANIZATION_ENTITIES,
      { representations },
      member.principal,
    );
    const asOutsider = await api.graphql<Entities>(
      ORGANIZATION_ENTITIES,
      { representations },
      outsider.principal,
    );

    expect(asMember.data!._entities).toEqual([{ id: organizationId, name: 'Referenced' }, null]);
    expect(asOutsider.data!._entities).toEqual([null, null]);
    expect(await api.metric('user_reference_batches_total', { type: 'Organization' })).toBe(
      batchesBefore + 1,
    );
  });
});
