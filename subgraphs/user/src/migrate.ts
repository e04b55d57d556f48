import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Logger } from '@platform/logger';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIRECTORY = new URL('./migrations/', import.meta.url);
const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/**
 * Key of the transaction-scoped advisory lock that serialises concurrent start-ups: the second
 * instance waits, then finds every migration applied. Any constant works as long as every instance
 * of this subgraph uses the same one ('user' in ASCII).
 */
const MIGRATION_LOCK_KEY = 0x75736572;

/** The versioned SQL files of src/migrations, in order. */
export async function readMigrations(directory: URL = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new Error(`Migration file ${file} is not named NNN_name.sql`);
      const sql = await readFile(new URL(file, directory), 'utf8');
      return { version: Number(match[1]), name: match[2]!, sql };
    }),
  );
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction: either
 * the schema moves to the latest version or nothing changes. Re-running is a no-op. Returns the
 * versions it applied.
 */
export async function migrate(pool: pg.Pool, logger: Logger): Promise<number[]> {
  const migrations = await readMigrations();
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      logger.info({ version: migration.version, name: migration.name }, 'applied migration');
    }
    await client.query('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true; // do not hand a connection in an unknown state back to the pool
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
