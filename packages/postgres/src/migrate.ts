import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Logger } from '@platform/logger';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/**
 * Key of the transaction-scoped advisory lock that serialises concurrent start-ups of one
 * service: the second instance waits, then finds every migration applied.
 */
function lockKey(service: string): number {
  return createHash('sha256').update(`migrations:${service}`).digest().readInt32BE(0);
}

/** The versioned SQL files (NNN_name.sql) of a directory, in order. */
export async function readMigrations(directory: URL): Promise<Migration[]> {
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

export interface MigrateOptions {
  /** Names the lock; every instance of one service must use the same name. */
  service: string;
  /** The folder of NNN_name.sql files, e.g. `new URL('./migrations/', import.meta.url)`. */
  directory: URL;
  logger: Logger;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction: either
 * the schema moves to the latest version or nothing changes. Re-running is a no-op. Returns the
 * versions it applied.
 */
export async function migrate(
  pool: pg.Pool,
  { service, directory, logger }: MigrateOptions,
): Promise<number[]> {
  const migrations = await readMigrations(directory);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(service)]);
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
