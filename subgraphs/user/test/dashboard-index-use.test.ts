import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  dataOf,
  indexOnlyPlan,
  sequentiallyScanned,
  statementsScanningSequentially,
  statementsSentDuring,
  type RecordedStatement,
} from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

/**
 * The user subgraph's part of the benchmark dashboard (bench/src/query.ts): the caller, then the
 * documents' authors and the notifications' actors (User references).
 */
const ME = '{ me { id name email } }';
const PEOPLE = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name } }
}`;

describe('the dashboard reads users through indexes only', () => {
  let api: TestSubgraph;
  let statements: RecordedStatement[];

  beforeAll(async () => {
    api = await startTestSubgraph();
    const caller = await api.signUp();
    const others = [await api.signUp(), await api.signUp()];
    statements = await statementsSentDuring(api.subgraph.pool, async () => {
      const me = dataOf(await api.graphql<{ me: { id: string } }>(ME, {}, caller.principal));
      expect(me.me.id).toBe(caller.id);
      const people = dataOf(
        await api.graphql<{ _entities: Array<{ id: string }> }>(
          PEOPLE,
          { representations: others.map(({ id }) => ({ __typename: 'User', id })) },
          caller.principal,
        ),
      );
      expect(people._entities.map(({ id }) => id)).toEqual(others.map(({ id }) => id));
    });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('plans every statement it sends without a sequential scan of any table', async () => {
    expect(statements.length).toBeGreaterThanOrEqual(2);
    expect(await statementsScanningSequentially(api.subgraph.pool, statements)).toEqual([]);
  });

  it('would see a sequential scan where no index serves (the check can fail)', async () => {
    const scans = await indexOnlyPlan(api.subgraph.pool, 'SELECT id FROM users WHERE name = $1', [
      'no index on name',
    ]);
    expect(sequentiallyScanned(scans)).toEqual(['users']);
  });
});
