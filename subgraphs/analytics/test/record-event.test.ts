import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createEvent } from '@platform/events';
import { createTestDatabase, testPool } from '@platform/testing';
import { recordEvent } from '../src/domain/record-event.js';
import { migrateAnalyticsDatabase } from '../src/migrate.js';
import { documentUpdated, memberAdded, projectCreated, unusedMinute } from './events.js';
import { testLogger } from './harness.js';

/** The consumer's handler against a real database of its own, without Kafka in between. */
let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase('analytics_record');
  pool = testPool(database.url, { options: '-c TimeZone=UTC' });
  await migrateAnalyticsDatabase(pool, testLogger);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function bucketValue(name: string, granularity: string, bucket: Date): Promise<number> {
  const { rows } = await pool.query<{ value: string }>(
    'SELECT value FROM metric_buckets WHERE name = $1 AND granularity = $2 AND bucket = $3',
    [name, granularity, bucket.toISOString()],
  );
  return Number(rows[0]?.value ?? 0);
}

describe('recordEvent', () => {
  it('applies an event delivered five times at once exactly once', async () => {
    const at = unusedMinute();
    const event = documentUpdated({ projectId: randomUUID(), actorId: randomUUID(), at });

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => recordEvent(pool, event)));

    expect(outcomes.sort()).toEqual([
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await bucketValue('events', 'MINUTE', at)).toBe(1);
    expect(await bucketValue('document.updated', 'MINUTE', at)).toBe(1);
    const { rows } = await pool.query<{ edits: number }>(
      'SELECT edits FROM project_stats WHERE project_id = $1',
      [event.data.projectId],
    );
    expect(rows).toEqual([{ edits: 1 }]);
  });

  it('keeps the owner and every member an event names as project members', async () => {
    const [projectId, owner, member] = [randomUUID(), randomUUID(), randomUUID()];
    await recordEvent(pool, projectCreated({ projectId, ownerId: owner, memberIds: [] }));
    await recordEvent(
      pool,
      memberAdded({ projectId, actorId: owner, userId: member, memberIds: [owner] }),
    );

    const { rows } = await pool.query<{ user_id: string }>(
      'SELECT user_id FROM project_members WHERE project_id = $1 ORDER BY user_id',
      [projectId],
    );
    expect(rows.map((row) => row.user_id)).toEqual([owner, member].sort());
  });

  it('counts user events in the metrics and as activity of their actor', async () => {
    const at = unusedMinute();
    const userId = randomUUID();
    const signedUp = createEvent('user.signed_up', {
      actor: { userId },
      subject: { type: 'User', id: userId },
      data: { email: `${userId}@example.com`, name: 'New' },
      occurredAt: at,
    });

    expect(await recordEvent(pool, signedUp)).toBe('applied');

    expect(await bucketValue('user.signed_up', 'DAY', new Date(at.getTime() - 630 * 60_000))).toBe(
      1,
    );
    const { rows } = await pool.query<{ documents_created: number; last_active_at: Date }>(
      `SELECT documents_created, last_active_at FROM user_activity
       WHERE user_id = $1 AND granularity = 'HOUR'`,
      [userId],
    );
    expect(rows).toEqual([{ documents_created: 0, last_active_at: at }]);
  });
});
