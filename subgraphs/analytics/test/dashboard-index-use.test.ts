import { randomUUID } from 'node:crypto';
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
import { recordEvent } from '../src/domain/record-event.js';
import { documentCreated, documentUpdated, projectCreated } from './events.js';
import { startTestAnalytics, type TestAnalytics } from './harness.js';

/** The analytics subgraph's part of the benchmark dashboard (bench/src/query.ts). */
const ACTIVITY = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { activity(range: LAST_7_DAYS) { documentsCreated documentEdits projectsCreated } }
  }
}`;
const PROJECT_STATS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Project { stats { documents edits activeEditorsLast7Days lastActivityAt } }
  }
}`;

describe('the dashboard reads analytics through indexes only', () => {
  let api: TestAnalytics;
  let statements: RecordedStatement[];

  beforeAll(async () => {
    api = await startTestAnalytics({ consume: false });
    const userId = randomUUID();
    const projectIds = [randomUUID(), randomUUID()];
    for (const projectId of projectIds) {
      await recordEvent(api.subgraph.pool, projectCreated({ projectId, ownerId: userId }));
      await recordEvent(api.subgraph.pool, documentCreated({ projectId, actorId: userId }));
      await recordEvent(api.subgraph.pool, documentUpdated({ projectId, actorId: userId }));
    }
    const caller = userPrincipal(userId);
    statements = await statementsSentDuring(api.subgraph.pool, async () => {
      const activity = dataOf(
        await api.graphql<{ _entities: Array<{ activity: { documentsCreated: number } }> }>(
          ACTIVITY,
          { representations: [{ __typename: 'User', id: userId }] },
          caller,
        ),
      );
      expect(activity._entities[0]?.activity.documentsCreated).toBe(2);
      const stats = dataOf(
        await api.graphql<{ _entities: Array<{ stats: { documents: number } }> }>(
          PROJECT_STATS,
          { representations: projectIds.map((id) => ({ __typename: 'Project', id })) },
          caller,
        ),
      );
      expect(stats._entities.map((project) => project.stats.documents)).toEqual([1, 1]);
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
      'SELECT project_id FROM project_stats WHERE edits = $1',
      [3],
    );
    expect(sequentiallyScanned(scans)).toEqual(['project_stats']);
  });
});
