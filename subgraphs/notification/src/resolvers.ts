import { DateTimeResolver } from 'graphql-scalars';
import { subscriptionsViaGateway } from '@platform/subgraph-server';
import { cursorOf } from './domain/cursor.js';
import type { Resolvers } from './generated/resolvers-types.js';

/**
 * Thin: each field hands its arguments to the domain and returns what it answers. Argument,
 * parent and context types come from the generated `Resolvers` (npm run codegen).
 * The gateway serves `notificationAdded` over graphql-ws: it listens on Redis and resolves each
 * notification here with `notification(id)` / `notificationsSince(since)`. Over HTTP it is an error.
 */
export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,

  Query: {
    notification: (_, args, ctx) => ctx.domain.notifications.find(ctx, args.id),
    notificationsSince: (_, args, ctx) => ctx.domain.notifications.since(ctx, args),
  },

  Mutation: {
    markNotificationsRead: (_, args, ctx) => ctx.domain.notifications.markRead(ctx, args.ids),
    markAllNotificationsRead: (_, __, ctx) => ctx.domain.notifications.markAllRead(ctx),
  },

  Subscription: {
    notificationAdded: { subscribe: subscriptionsViaGateway, resolve: subscriptionsViaGateway },
  },

  User: {
    notifications: (user, args, ctx) => ctx.domain.notifications.page(ctx, user.id, args),
    unreadCount: (user, _, ctx) => ctx.domain.notifications.unreadCount(ctx, user.id),
  },

  Notification: {
    __resolveReference: (reference, ctx) => ctx.domain.notifications.reference(ctx, reference.id),
    cursor: (notification) => cursorOf(notification.id),
    read: (notification) => notification.readAt !== null,
    actor: (notification) =>
      notification.actorId ? { __typename: 'User', id: notification.actorId } : null,
    subject: (notification) => ({
      __typename: notification.subjectType,
      id: notification.subjectId,
    }),
  },

  NotificationSubject: {
    __resolveType: (subject) => subject.__typename,
  },
};
