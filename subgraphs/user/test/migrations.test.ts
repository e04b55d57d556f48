import { beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createLogger } from '@platform/logger';
import { createTestDatabase, testPool } from '@platform/testing';
import { readMigrations } from '@platform/postgres';
import { migrateUserDatabase as migrate, USER_MIGRATIONS } from '../src/migrate.js';

const logger = createLogger('user-migrations-test', { level: 'silent' });

async function withDatabase(run: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const database = await createTestDatabase('user_migrations');
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
  versions = (await readMigrations(USER_MIGRATIONS)).map((migration) => migration.version);
});

describe('migrate', () => {
  it('applies every migration once; running it again is a no-op', async () => {
    await withDatabase(async (pool) => {
      expect(await migrate(pool, logger)).toEqual(versions);
      expect(await migrate(pool, logger)).toEqual([]);

      const recorded = await pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(recorded.rows.map((row) => row.version)).toEqual(versions);
      const tables = await pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
         ORDER BY table_name`,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'api_keys',
        'organization_members',
        'organizations',
        'outbox',
        'refresh_tokens',
        'schema_migrations',
        'sessions',
        'users',
      ]);
    });
  });

  it('lets concurrent start-ups apply the migrations exactly once between them', async () => {
    await withDatabase(async (pool) => {
      const results = await Promise.all([migrate(pool, logger), migrate(pool, logger)]);
      expect(results.flat().sort((a, b) => a - b)).toEqual(versions);
    });
  });

  it('enforces one account per email regardless of letter case', async () => {
    await withDatabase(async (pool) => {
      await migrate(pool, logger);
      const insert = `INSERT INTO users (email, name, password_hash) VALUES ($1, 'n', 'h')`;
      await pool.query(insert, ['Case@Example.com']);
      await expect(pool.query(insert, ['case@example.COM'])).rejects.toMatchObject({
        code: '23505',
      });
    });
  });
});
