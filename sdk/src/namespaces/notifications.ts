import type { Client } from '../client.js';
import { UnauthenticatedError } from '../errors.js';
import * as ops from '../generated/operations.js';
import { liveNotifications, type LiveOptions } from '../live.js';
import { paginated } from './pagination.js';

export type NotificationsConnection = NonNullable<ops.NotificationsQuery['me']>['notifications'];

const anonymous = () =>
  new UnauthenticatedError('Notifications need a signed-in caller', { code: 'UNAUTHENTICATED' });

/** The caller's notifications (the notification subgraph), stored and live. */
export function notificationsNamespace(client: Client) {
  return {
    /** One page of the caller's notifications, newest first. */
    list: paginated(async (variables: ops.NotificationsQueryVariables) => {
      const { me } = await client.request(ops.NotificationsDocument, variables);
      if (!me) throw anonymous();
      return me.notifications;
    }),
    /** The caller's notifications after a cursor, oldest first. */
    since: async (variables: ops.NotificationsSinceQueryVariables = {}) =>
      (await client.request(ops.NotificationsSinceDocument, variables)).notificationsSince,
    unreadCount: async () => {
      const { me } = await client.request(ops.UnreadCountDocument);
      if (!me) throw anonymous();
      return me.unreadCount;
    },
    markRead: async (ids: string[]) =>
      (await client.request(ops.MarkNotificationsReadDocument, { ids })).markNotificationsRead,
    /** Resolves with how many notifications changed. */
    markAllRead: async () =>
      (await client.request(ops.MarkAllNotificationsReadDocument)).markAllNotificationsRead,
    /** New notifications as they happen, resumed across socket drops; see `liveNotifications`. */
    live: (options?: LiveOptions) => liveNotifications(client, options),
  };
}
