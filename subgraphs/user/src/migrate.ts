import type pg from 'pg';
import { migrate } from '@platform/postgres';
import type { Logger } from '@platform/logger';

export const USER_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** Brings the user database to the latest schema (src/migrations); a no-op when it is there. */
export function migrateUserDatabase(pool: pg.Pool, logger: Logger): Promise<number[]> {
  return migrate(pool, { service: 'user', directory: USER_MIGRATIONS, logger });
}
