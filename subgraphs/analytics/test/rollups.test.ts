import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPrincipal, errorCodes, userPrincipal } from '@platform/testing';
import {
  daysAgo,
  documentCreated,
  documentDeleted,
  documentUpdated,
  hoursAgo,
  minutesAgo,
  projectCreated,
  startPublisher,
  testKafka,
  unusedMinute,
  type Publisher,
} from './events.js';
import { eventuallyEqual, startTestAnalytics, type TestAnalytics } from './harness.js';

/**
 * Events travel the real way: produced to the shared Kafka topics, consumed by the subgraph in a
 * consumer group of its own. The topics hold every other test's events too, so every assertion
 * is about ids (projects, users, minutes) this file made up.
 */
let api: TestAnalytics;
let publisher: Publisher;

beforeAll(async () => {
  api = await startTestAnalytics();
  publisher = await startPublisher(testKafka());
});

afterAll(async () => {
  await publisher?.stop();
  await api?.stop();
});

const METRICS = `query ($name: String!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!) {
  metrics(name: $name, from: $from, to: $to, granularity: $granularity) { points { value } }
}`;

const PROJECT_STATS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Project { id stats { documents edits activeEditorsLast7Days lastActivityAt } }
  }
}`;

const USER_ACTIVITY = `query ($representations: [_Any!]!, $range: TimeRange) {
  _entities(representations: $representations) {
    ... on User {
      id activity(range: $range) { range documentsCreated documentEdits projectsCreated lastActiveAt }
    }
  }
}`;

const TOP_PROJECTS = `{ topProjects(first: 100) { project { id } events } }`;

interface Stats {
  documents: number;
  edits: number;
  activeEditorsLast7Days: number;
  lastActivityAt: string | null;
}

type Entities<Fields> = { _entities: Array<({ id: string } & Fields) | null> };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('metric buckets', () => {
  it('counts document.created and document.updated events per minute, hour and day', async () => {
    // 10:30 UTC on a day no other run uses; the last update is at 11:35 the same day.
    const minute = unusedMinute();
    const hour = minute.getTime() - 30 * MINUTE;
    const day = hour - 10 * HOUR;
    const projectId = randomUUID();
    const actorId = randomUUID();
    const at = (offsetMs: number) => new Date(minute.getTime() + offsetMs);
    await publisher.publish(
      documentCreated({ projectId, actorId, at: at(0) }),
      documentCreated({ projectId, actorId, at: at(5_000) }),
      documentUpdated({ projectId, actorId, at: at(10_000) }),
      documentUpdated({ projectId, actorId, at: at(20_000) }),
      documentUpdated({ projectId, actorId, at: at(30_000) }),
      documentUpdated({ projectId, actorId, at: at(65 * MINUTE) }),
    );
    const series = async (name: string, granularity: string, from: number, to: number) => {
      const result = await api.graphql<{ metrics: { points: Array<{ value: number }> } }>(
        METRICS,
        { name, granularity, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
        adminPrincipal(),
      );
      if (!result.data) throw new Error(JSON.stringify(result.errors));
      return result.data.metrics.points.map((point) => point.value);
    };

    await eventuallyEqual(() => series('events', 'DAY', day - DAY, day + 2 * DAY), [0, 6, 0]);

    const m = minute.getTime();
    expect(await series('document.updated', 'MINUTE', m - MINUTE, m + 2 * MINUTE)).toEqual([
      0, 3, 0,
    ]);
    expect(await series('document.created', 'MINUTE', m - MINUTE, m + 2 * MINUTE)).toEqual([
      0, 2, 0,
    ]);
    expect(await series('document.updated', 'HOUR', hour - HOUR, hour + 3 * HOUR)).toEqual([
      0, 3, 1, 0,
    ]);
    expect(await series('events', 'HOUR', hour - HOUR, hour + 3 * HOUR)).toEqual([0, 5, 1, 0]);
    expect(await series('document.updated', 'DAY', day, day + 2 * DAY)).toEqual([4, 0]);
    expect(await series('document.created', 'DAY', day, day + 2 * DAY)).toEqual([2, 0]);
  });
});

describe('a project and its documents', () => {
  const [alice, bob, carol, outsider] = [
    userPrincipal(),
    userPrincipal(),
    userPrincipal(),
    userPrincipal(),
  ];
  const projectId = randomUUID();
  const memberIds = [alice.userId, bob.userId];
  const [doc1, doc2, doc3] = [randomUUID(), randomUUID(), randomUUID()];
  const lastActivity = minutesAgo(5);
  const bobLastActive = minutesAgo(10);
  const expectedStats: Stats = {
    documents: 2,
    edits: 3,
    activeEditorsLast7Days: 2,
    lastActivityAt: lastActivity.toISOString(),
  };

  const statsOf = async (projectIds: string[], principal = alice) => {
    const result = await api.graphql<Entities<{ stats: Stats }>>(
      PROJECT_STATS,
      { representations: projectIds.map((id) => ({ __typename: 'Project', id })) },
      principal,
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data._entities.map((entity) => entity?.stats);
  };

  const activityOf = (userId: string, principal: typeof alice, range?: string) =>
    api.graphql<Entities<{ activity: Record<string, unknown> }>>(
      USER_ACTIVITY,
      { representations: [{ __typename: 'User', id: userId }], range },
      principal,
    );

  beforeAll(async () => {
    const doc = (documentId: string, actorId: string, at: Date) => ({
      projectId,
      documentId,
      actorId,
      memberIds,
      at,
    });
    await publisher.publish(
      projectCreated({ projectId, ownerId: alice.userId, memberIds, at: minutesAgo(30) }),
      documentCreated(doc(doc1, alice.userId, minutesAgo(20))),
      documentCreated(doc(doc2, alice.userId, minutesAgo(19))),
      documentCreated(doc(doc3, bob.userId, minutesAgo(18))),
      documentUpdated(doc(doc1, bob.userId, bobLastActive)),
      documentUpdated(doc(doc2, alice.userId, hoursAgo(3))),
      documentDeleted(doc(doc3, alice.userId, lastActivity)),
      // An edit 8 days ago counts as an edit, but carol is no longer an active editor.
      documentUpdated(doc(doc1, carol.userId, daysAgo(8))),
    );
    // Every event names the project, so once its stats are complete every rollup is.
    await eventuallyEqual(async () => (await statsOf([projectId]))[0], expectedStats);
  }, 60_000);

  it('rolls document events up into the project stats', async () => {
    expect(await statsOf([projectId])).toEqual([expectedStats]);
  });

  it('resolves 30 Project references asking for stats with one batch and one SQL query', async () => {
    const ids = [projectId, ...Array.from({ length: 29 }, () => randomUUID())];
    const batches = await api.metric('analytics_reference_batches_total', { type: 'Project' });
    const queries = await api.metric('analytics_sql_queries_total');

    const stats = await statsOf(ids);

    expect(stats[0]).toEqual(expectedStats);
    const zeros = { documents: 0, edits: 0, activeEditorsLast7Days: 0, lastActivityAt: null };
    expect(stats.slice(1)).toEqual(Array(29).fill(zeros));
    expect(await api.metric('analytics_reference_batches_total', { type: 'Project' })).toBe(
      batches + 1,
    );
    expect(await api.metric('analytics_sql_queries_total')).toBe(queries + 1);
  });

  it('gives a user their own activity in the range', async () => {
    const lastHour = await activityOf(alice.userId, alice, 'LAST_HOUR');
    const lastDay = await activityOf(alice.userId, alice, 'LAST_DAY');

    expect(lastHour.data!._entities[0]!.activity).toEqual({
      range: 'LAST_HOUR',
      documentsCreated: 2,
      documentEdits: 0,
      projectsCreated: 1,
      lastActiveAt: lastActivity.toISOString(),
    });
    expect(lastDay.data!._entities[0]!.activity).toEqual({
      range: 'LAST_DAY',
      documentsCreated: 2,
      documentEdits: 1,
      projectsCreated: 1,
      lastActiveAt: lastActivity.toISOString(),
    });
  });

  it("lets an administrator read anyone's activity and refuses other users", async () => {
    const asAdmin = await activityOf(bob.userId, adminPrincipal());
    const asAlice = await activityOf(bob.userId, alice);

    expect(asAdmin.data!._entities[0]!.activity).toEqual({
      range: 'LAST_7_DAYS',
      documentsCreated: 1,
      documentEdits: 1,
      projectsCreated: 0,
      lastActiveAt: bobLastActive.toISOString(),
    });
    expect(errorCodes(asAlice)).toEqual(['FORBIDDEN']);
    expect(asAlice.data!._entities).toEqual([null]);
  });

  it('lists the project in the top projects of its members only', async () => {
    const top = async (principal: typeof alice) =>
      (
        await api.graphql<{ topProjects: Array<{ project: { id: string }; events: number }> }>(
          TOP_PROJECTS,
          {},
          principal,
        )
      ).data!.topProjects.map(({ project, events }) => [project.id, events]);

    // Seven events in the last 7 days; carol's edit of 8 days ago is outside the range.
    expect(await top(alice)).toEqual([[projectId, 7]]);
    expect(await top(bob)).toEqual([[projectId, 7]]);
    expect(await top(outsider)).toEqual([]);
  });
});
