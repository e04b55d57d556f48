import type pg from 'pg';
import { migrate } from '@platform/postgres';
import type { Logger } from '@platform/logger';

export const ANALYTICS_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** Brings the analytics database to the latest schema (src/migrations); a no-op when it is there. */
export function migrateAnalyticsDatabase(pool: pg.Pool, logger: Logger): Promise<number[]> {
  return migrate(pool, { service: 'analytics', directory: ANALYTICS_MIGRATIONS, logger });
}
