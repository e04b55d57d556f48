import type { Database } from '@platform/postgres';
import { notificationRepository, type NotificationRepository } from './notifications.js';

/** One repository per table, all on the same database handle. */
export interface Repositories {
  notifications: NotificationRepository;
}

export function createRepositories(db: Database): Repositories {
  return { notifications: notificationRepository(db) };
}
