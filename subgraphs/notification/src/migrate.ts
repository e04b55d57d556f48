import type pg from 'pg';
import { migrate } from '@platform/postgres';
import type { Logger } from '@platform/logger';

export const NOTIFICATION_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** Brings the notification database to the latest schema (src/migrations); a no-op when it is. */
export function migrateNotificationDatabase(pool: pg.Pool, logger: Logger): Promise<number[]> {
  return migrate(pool, { service: 'notification', directory: NOTIFICATION_MIGRATIONS, logger });
}
