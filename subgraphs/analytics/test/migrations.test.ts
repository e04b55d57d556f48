import { beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { readMigrations } from '@platform/postgres';
import { createTestDatabase, testPool } from '@platform/testing';
import { ANALYTICS_MIGRATIONS, migrateAnalyticsDatabase as migrate } from '../src/migrate.js';
import { testLogger as logger } from './harness.js';

async function withDatabase(run: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const database = await createTestDatabase('analytics_migrations');
  const pool = testPool(database.url);
  try {
    await run(pool);
  } finally {
    await pool.end();
    await database.drop();
  }
}

let versions: number[];

beforeAll(async () => {
  versions = (await readMigrations(ANALYTICS_MIGRATIONS)).map((migration) => migration.version);
});

describe('migrate', () => {
  it('applies every migration once; running it again is a no-op', async () => {
    await withDatabase(async (pool) => {
      expect(await migrate(pool, logger)).toEqual(versions);
      expect(await migrate(pool, logger)).toEqual([]);

      const tables = await pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
         ORDER BY table_name`,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'deleted_projects',
        'editor_activity',
        'metric_buckets',
        'processed_events',
        'project_activity',
        'project_member_removals',
        'project_members',
        'project_stats',
        'schema_migrations',
        'user_activity',
      ]);
    });
  });

  it('lets concurrent start-ups apply the migrations exactly once between them', async () => {
    await withDatabase(async (pool) => {
      const results = await Promise.all([migrate(pool, logger), migrate(pool, logger)]);
      expect(results.flat().sort((a, b) => a - b)).toEqual(versions);
    });
  });

  it('refuses a bucket of an unknown granularity', async () => {
    await withDatabase(async (pool) => {
      await migrate(pool, logger);
      await expect(
        pool.query(
          `INSERT INTO metric_buckets (name, granularity, bucket, value) VALUES ('events', 'WEEK', now(), 1)`,
        ),
      ).rejects.toMatchObject({ code: '23514' });
    });
  });
});
