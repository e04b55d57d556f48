import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createEvent, type AnyEventEnvelope } from '@platform/events';
import { poolDatabase } from '@platform/postgres';
import { createTestDatabase, testPool } from '@platform/testing';
import { recordEvent } from '../src/domain/record-event.js';
import { migrateAnalyticsDatabase } from '../src/migrate.js';
import { projectActivityRepository } from '../src/repositories/project-activity.js';
import { unusedMinute } from './events.js';
import { testLogger } from './harness.js';

/** topProjects' membership once members leave and projects go, whatever order events arrive in. */
let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase('analytics_removals');
  pool = testPool(database.url, { options: '-c TimeZone=UTC' });
  await migrateAnalyticsDatabase(pool, testLogger);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const second = (base: Date, n: number) => new Date(base.getTime() + n * 1000);

function projectEvent(
  type: 'project.created' | 'project.member_removed' | 'project.member_added' | 'project.deleted',
  projectId: string,
  at: Date,
  data: { userId?: string; memberIds: string[] },
): AnyEventEnvelope {
  const actor = { userId: data.memberIds[0] ?? 'owner' };
  const subject = { type: 'Project', id: projectId };
  const name = 'P';
  switch (type) {
    case 'project.created':
      return createEvent(type, {
        actor,
        subject,
        data: { name, ownerId: actor.userId, memberIds: data.memberIds },
        occurredAt: at,
      });
    case 'project.deleted':
      return createEvent(type, {
        actor,
        subject,
        data: { name, ownerId: actor.userId, memberIds: data.memberIds },
        occurredAt: at,
      });
    default:
      return createEvent(type, {
        actor,
        subject,
        data: { name, userId: data.userId!, memberIds: data.memberIds },
        occurredAt: at,
      });
  }
}

async function topFor(memberId: string | undefined, at: Date): Promise<string[]> {
  const rows = await projectActivityRepository(poolDatabase(pool)).top({
    granularity: 'HOUR',
    since: new Date(at.getTime() - 3_600_000),
    until: new Date(at.getTime() + 3_600_000),
    limit: 100,
    memberId,
  });
  return rows.map((row) => row.projectId);
}

describe('project membership in topProjects', () => {
  it('drops a removed member even when older events naming them arrive after the removal', async () => {
    const at = unusedMinute();
    const [projectId, owner, bob] = [randomUUID(), randomUUID(), randomUUID()];
    const removal = projectEvent('project.member_removed', projectId, second(at, 2), {
      userId: bob,
      memberIds: [owner],
    });
    await recordEvent(pool, removal);
    await recordEvent(
      pool,
      projectEvent('project.created', projectId, at, { memberIds: [owner, bob] }),
    );
    expect(await topFor(bob, at)).toEqual([]);
    expect(await topFor(owner, at)).toEqual([projectId]);

    // Added again later: a member once more.
    await recordEvent(
      pool,
      projectEvent('project.member_added', projectId, second(at, 3), {
        userId: bob,
        memberIds: [owner, bob],
      }),
    );
    expect(await topFor(bob, at)).toEqual([projectId]);
  });

  it('lists a deleted project to no one, administrators included', async () => {
    const at = unusedMinute();
    const [projectId, owner] = [randomUUID(), randomUUID()];
    await recordEvent(pool, projectEvent('project.created', projectId, at, { memberIds: [owner] }));
    expect(await topFor(owner, at)).toEqual([projectId]);
    await recordEvent(
      pool,
      projectEvent('project.deleted', projectId, second(at, 5), { memberIds: [owner] }),
    );
    expect(await topFor(owner, at)).toEqual([]);
    expect(await topFor(undefined, at)).not.toContain(projectId);
  });
});
