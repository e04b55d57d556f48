import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity } from '@platform/identity';
import { adminPrincipal, anonymous, errorCodes, userPrincipal } from '@platform/testing';
import { recordEvent } from '../src/domain/record-event.js';
import {
  documentCreated,
  documentUpdated,
  hoursAgo,
  minutesAgo,
  projectCreated,
  unusedMinute,
} from './events.js';
import { startTestAnalytics, type TestAnalytics } from './harness.js';

/**
 * The read side over a database of its own. This file starts no consumer: it applies events with
 * the consumer's own handler (recordEvent), so "every project" and "every bucket" are exactly the
 * events written here, not whatever else the shared topics hold.
 */
let api: TestAnalytics;

beforeAll(async () => {
  api = await startTestAnalytics({ consume: false });
});

afterAll(async () => {
  await api?.stop();
});

const METRICS = `query ($name: String!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!) {
  metrics(name: $name, from: $from, to: $to, granularity: $granularity) {
    name granularity points { bucket value }
  }
}`;

type Metrics = {
  metrics: { name: string; granularity: string; points: Array<{ bucket: string; value: number }> };
};

const TOP_PROJECTS = `query ($range: TimeRange, $first: Int) {
  topProjects(range: $range, first: $first) { project { id } events }
}`;

type TopProjects = { topProjects: Array<{ project: { id: string }; events: number }> };

const iso = (ms: number) => new Date(ms).toISOString();

describe('metrics', () => {
  it('returns every bucket of the range, zeros included, oldest first', async () => {
    const minute = unusedMinute();
    const projectId = randomUUID();
    const actorId = randomUUID();
    for (const at of [minute, new Date(minute.getTime() + 5_000)]) {
      await recordEvent(api.subgraph.pool, documentUpdated({ projectId, actorId, at }));
    }
    await recordEvent(
      api.subgraph.pool,
      documentCreated({ projectId, actorId, at: new Date(minute.getTime() + 120_000) }),
    );
    const start = minute.getTime() - 60_000;

    const result = await api.graphql<Metrics>(
      METRICS,
      // `from` inside a bucket starts the series at that bucket; `to` is exclusive.
      {
        name: 'document.updated',
        from: iso(start + 30_000),
        to: iso(start + 4 * 60_000),
        granularity: 'MINUTE',
      },
      adminPrincipal(),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data!.metrics).toEqual({
      name: 'document.updated',
      granularity: 'MINUTE',
      points: [
        { bucket: iso(start), value: 0 },
        { bucket: iso(start + 60_000), value: 2 },
        { bucket: iso(start + 120_000), value: 0 },
        { bucket: iso(start + 180_000), value: 0 },
      ],
    });

    const total = await api.graphql<Metrics>(
      METRICS,
      { name: 'events', from: iso(start), to: iso(start + 4 * 60_000), granularity: 'MINUTE' },
      adminPrincipal(),
    );
    expect(total.data!.metrics.points.map((point) => point.value)).toEqual([0, 2, 0, 1]);
  });

  it('returns only zeros for a range without events', async () => {
    const day = unusedMinute().getTime() - (10 * 60 + 30) * 60_000;
    const result = await api.graphql<Metrics>(
      METRICS,
      { name: 'events', from: iso(day), to: iso(day + 3 * 86_400_000), granularity: 'DAY' },
      adminPrincipal(),
    );
    expect(result.data!.metrics.points).toEqual([
      { bucket: iso(day), value: 0 },
      { bucket: iso(day + 86_400_000), value: 0 },
      { bucket: iso(day + 2 * 86_400_000), value: 0 },
    ]);
  });

  it('is refused to anyone but platform administrators', async () => {
    const args = { name: 'events', from: iso(0), to: iso(3_600_000), granularity: 'HOUR' };
    expect(errorCodes(await api.graphql(METRICS, args, anonymous))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await api.graphql(METRICS, args, userPrincipal()))).toEqual(['FORBIDDEN']);
  });

  it('refuses an unknown metric name, naming the valid ones', async () => {
    const result = await api.graphql(
      METRICS,
      { name: 'document.exploded', from: iso(0), to: iso(3_600_000), granularity: 'HOUR' },
      adminPrincipal(),
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toContain('events, user.signed_up');
    expect(result.errors![0]!.message).toContain('document.updated');
  });

  it('refuses a range whose start is not before its end', async () => {
    const result = await api.graphql(
      METRICS,
      { name: 'events', from: iso(3_600_000), to: iso(3_600_000), granularity: 'HOUR' },
      adminPrincipal(),
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argument).toBe('to');
  });

  it('refuses a range of more than 1500 buckets', async () => {
    const ok = await api.graphql(
      METRICS,
      { name: 'events', from: iso(0), to: iso(1500 * 60_000), granularity: 'MINUTE' },
      adminPrincipal(),
    );
    const tooMany = await api.graphql(
      METRICS,
      { name: 'events', from: iso(0), to: iso(1501 * 60_000), granularity: 'MINUTE' },
      adminPrincipal(),
    );
    expect(ok.errors).toBeUndefined();
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a malformed date as bad input naming it, with HTTP 200 (the gateway keeps the code)', async () => {
    const result = await api.graphql(
      METRICS,
      { name: 'events', from: 'yesterday', to: iso(0), granularity: 'HOUR' },
      adminPrincipal(),
    );
    expect(result.status).toBe(200);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argument).toBe('from');
  });

  it.each([
    ['from: "yesterday"', 'from'],
    ['from: 1700000000', 'from'],
    ['from: "2026-01-01T00:00:00Z", to: "2026-13-01T00:00:00Z"', 'to'],
  ])('refuses %s given inline the same way', async (dates, argument) => {
    const args = dates.includes('to:') ? dates : `${dates}, to: "2026-01-02T00:00:00Z"`;
    const result = await api.graphql(
      `{ metrics(name: "events", ${args}, granularity: HOUR) { name } }`,
      {},
      adminPrincipal(),
    );
    expect(result.status).toBe(200);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.argument).toBe(argument);
  });
});

describe('topProjects', () => {
  const [alice, bob, carol] = [userPrincipal(), userPrincipal(), userPrincipal()];
  const [busy, quiet, carols] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    const record = (event: Parameters<typeof recordEvent>[1]) =>
      recordEvent(api.subgraph.pool, event);
    // alice owns `busy` (4 events) and `quiet` (2, one of them 2 hours ago); bob is a member of
    // `busy` only; carol owns `carols` (3 events).
    await record(
      projectCreated({
        projectId: busy,
        ownerId: alice.userId,
        memberIds: [alice.userId, bob.userId],
      }),
    );
    for (let n = 0; n < 3; n += 1) {
      await record(
        documentUpdated({
          projectId: busy,
          actorId: bob.userId,
          memberIds: [alice.userId, bob.userId],
        }),
      );
    }
    await record(projectCreated({ projectId: quiet, ownerId: alice.userId, at: minutesAgo(5) }));
    await record(documentCreated({ projectId: quiet, actorId: alice.userId, at: hoursAgo(2) }));
    await record(projectCreated({ projectId: carols, ownerId: carol.userId }));
    await record(documentCreated({ projectId: carols, actorId: carol.userId }));
    await record(documentCreated({ projectId: carols, actorId: carol.userId }));
  });

  const top = async (principal = alice, variables: Record<string, unknown> = {}) => {
    const result = await api.graphql<TopProjects>(TOP_PROJECTS, variables, principal);
    expect(result.errors).toBeUndefined();
    return result.data!.topProjects.map(({ project, events }) => [project.id, events]);
  };

  it("lists the caller's projects by events in the range, most first", async () => {
    expect(await top(alice)).toEqual([
      [busy, 4],
      [quiet, 2],
    ]);
    expect(await top(bob)).toEqual([[busy, 4]]);
  });

  it('lists nothing for a user who is a member of no project', async () => {
    expect(await top(userPrincipal())).toEqual([]);
  });

  it('lists every project for an administrator', async () => {
    expect(await top(adminPrincipal())).toEqual([
      [busy, 4],
      [carols, 3],
      [quiet, 2],
    ]);
  });

  it('counts only the events of the range', async () => {
    expect(await top(alice, { range: 'LAST_HOUR' })).toEqual([
      [busy, 4],
      [quiet, 1],
    ]);
    expect(await top(alice, { range: 'LAST_DAY' })).toEqual([
      [busy, 4],
      [quiet, 2],
    ]);
  });

  it('returns at most `first` projects and refuses a `first` outside 1..100', async () => {
    expect(await top(adminPrincipal(), { first: 2 })).toEqual([
      [busy, 4],
      [carols, 3],
    ]);
    for (const first of [0, 101, -1]) {
      const result = await api.graphql(TOP_PROJECTS, { first }, alice);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('needs an authenticated caller with the read scope', async () => {
    expect(errorCodes(await api.graphql(TOP_PROJECTS, {}, anonymous))).toEqual(['UNAUTHENTICATED']);
    const writeOnly = userPrincipal(alice.userId, { scopes: ['write'] });
    expect(errorCodes(await api.graphql(TOP_PROJECTS, {}, writeOnly))).toEqual(['FORBIDDEN']);
  });
});

describe('the gateway signature', () => {
  it('refuses an unsigned request with 401 UNAUTHENTICATED', async () => {
    const response = await fetch(api.subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProjects { events } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
    });
  });

  it('refuses a request signed with another secret', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const forged = signIdentity(anonymous, { secret: 'x'.repeat(40), subgraph: 'analytics', body });
    const response = await fetch(api.subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forged },
      body,
    });
    expect(response.status).toBe(401);
  });

  it('reports ready when PostgreSQL answers', async () => {
    const response = await fetch(`${api.origin}/health/ready`);
    expect(await response.json()).toEqual({ status: 'ready' });
  });
});
