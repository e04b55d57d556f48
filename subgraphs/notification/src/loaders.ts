import DataLoader from 'dataloader';
import type { NotificationMetrics } from './metrics.js';
import type { Repositories } from './repositories/index.js';
import type { Notification, PageRequest } from './repositories/notifications.js';

/**
 * Per-request batching: every fetch of a request goes through these, so a request that resolves
 * 100 Notification references (or the unread counts of many users) sends one query. Created per
 * request, so nothing is cached across callers. Authorization happens in the domain, before a load.
 */
export interface Loaders {
  /** By canonical id (see domain/cursor.ts); any recipient's. */
  notification: DataLoader<string, Notification | null>;
  /** By recipient id. */
  unreadCount: DataLoader<string, number>;
  /** A recipient's page, newest first (aliases asking for several pages share one query). */
  notificationPage: DataLoader<PageRequest, Notification[], string>;
}

export function createLoaders(
  { notifications }: Repositories,
  { referenceBatches }: Pick<NotificationMetrics, 'referenceBatches'>,
): Loaders {
  return {
    notification: new DataLoader(async (ids) => {
      referenceBatches.inc({ type: 'Notification' });
      const byId = new Map((await notifications.findByIds(ids)).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    unreadCount: new DataLoader(async (recipientIds) => {
      referenceBatches.inc({ type: 'UnreadCount' });
      const counts = await notifications.countUnread(recipientIds);
      return recipientIds.map((recipientId) => counts.get(recipientId) ?? 0);
    }),
    notificationPage: new DataLoader(
      async (requests) => {
        referenceBatches.inc({ type: 'NotificationPage' });
        return notifications.findPages(requests);
      },
      { cacheKeyFn: (request) => JSON.stringify(request) },
    ),
  };
}
