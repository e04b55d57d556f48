import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { readMigrations } from '@platform/postgres';
import { createTestDatabase, testPool } from '@platform/testing';
import { migrateNotificationDatabase as migrate, NOTIFICATION_MIGRATIONS } from '../src/migrate.js';
import { logger } from './harness.js';

async function withDatabase(run: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const database = await createTestDatabase('notification_migrations');
  const pool = testPool(database.url);
  try {
    await run(pool);
  } finally {
    await pool.end();
    await database.drop();
  }
}

describe('migrate', () => {
  it('applies every migration once; running it again is a no-op', async () => {
    const versions = (await readMigrations(NOTIFICATION_MIGRATIONS)).map((m) => m.version);
    await withDatabase(async (pool) => {
      expect(await migrate(pool, logger)).toEqual(versions);
      expect(await migrate(pool, logger)).toEqual([]);
    });
  });

  it('keeps one row per event and recipient, and only known kinds and subject types', async () => {
    await withDatabase(async (pool) => {
      await migrate(pool, logger);
      const insert = `INSERT INTO notifications
        (event_id, recipient_id, kind, message, subject_type, subject_id)
        VALUES ('6f1c1f8e-2b7a-4c1e-9a51-0d3c2f5e8a11', $1, $2, 'm', $3, 's')`;
      await pool.query(insert, ['bo', 'DOCUMENT_UPDATED', 'Document']);
      await expect(
        pool.query(insert, ['bo', 'DOCUMENT_UPDATED', 'Document']),
      ).rejects.toMatchObject({ code: '23505' });
      await expect(pool.query(insert, ['cy', 'SOMETHING', 'Document'])).rejects.toMatchObject({
        code: '23514',
      });
      await expect(pool.query(insert, ['cy', 'DOCUMENT_UPDATED', 'User'])).rejects.toMatchObject({
        code: '23514',
      });
    });
  });
});
