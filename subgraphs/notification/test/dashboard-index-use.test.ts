import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  dataOf,
  indexOnlyPlan,
  sequentiallyScanned,
  statementsScanningSequentially,
  statementsSentDuring,
  userPrincipal,
  type RecordedStatement,
} from '@platform/testing';
import { documentEvent } from './fixtures.js';
import { newUserId, startTestSubgraph, type TestSubgraph } from './harness.js';

/** The notification subgraph's part of the benchmark dashboard (bench/src/query.ts). */
const DASHBOARD = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      unreadCount
      notifications(first: 10) {
        edges { node { id kind message read createdAt actor { id } subject { __typename ... on Document { id } } } }
      }
    }
  }
}`;

describe('the dashboard reads notifications through indexes only', () => {
  let api: TestSubgraph;
  let statements: RecordedStatement[];

  beforeAll(async () => {
    api = await startTestSubgraph({ consume: false });
    const reader = newUserId();
    for (let n = 0; n < 3; n++) {
      await api.delivery.handle(
        documentEvent('document.updated', { actorId: newUserId(), memberIds: [reader] }),
      );
    }
    statements = await statementsSentDuring(api.subgraph.pool, async () => {
      const answer = dataOf(
        await api.graphql<{ _entities: Array<{ unreadCount: number }> }>(
          DASHBOARD,
          { representations: [{ __typename: 'User', id: reader }] },
          userPrincipal(reader),
        ),
      );
      expect(answer._entities[0]?.unreadCount).toBe(3);
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
    const scans = await indexOnlyPlan(
      api.subgraph.pool,
      'SELECT id FROM notifications WHERE message = $1',
      ['no index on message'],
    );
    expect(sequentiallyScanned(scans)).toEqual(['notifications']);
  });
});
