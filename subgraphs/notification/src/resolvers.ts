// The resolver map type buildSubgraphSchema takes; @apollo/subgraph does not re-export it at its root.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { DateTimeResolver } from 'graphql-scalars';
import { platformError } from '@platform/errors';
import type { NotificationContext } from './context.js';
import { cursorOf } from './domain/cursor.js';
import type { Notification } from './repositories/notifications.js';

type Context = NotificationContext;

interface UserReference {
  id: string;
}

/**
 * The gateway serves `notificationAdded` over graphql-ws: it listens on Redis and resolves each
 * notification here with `notification(id)` / `notificationsSince(since)`. Over HTTP it is an error.
 */
const subscriptionsViaGateway = () => {
  throw platformError(
    'SUBSCRIPTIONS_VIA_GATEWAY',
    'Subscribe through the gateway (graphql-ws); this subgraph does not serve subscriptions',
  );
};

/** Thin: each field hands its arguments to the domain and returns what it answers. */
export const resolvers: GraphQLResolverMap<Context> = {
  DateTime: DateTimeResolver,

  Query: {
    notification: (_: unknown, args: { id: string }, ctx: Context) =>
      ctx.domain.notifications.find(ctx, args.id),
    notificationsSince: (
      _: unknown,
      args: { since?: string | null; first?: number | null },
      ctx: Context,
    ) => ctx.domain.notifications.since(ctx, args),
  },

  Mutation: {
    markNotificationsRead: (_: unknown, args: { ids: string[] }, ctx: Context) =>
      ctx.domain.notifications.markRead(ctx, args.ids),
    markAllNotificationsRead: (_: unknown, __: unknown, ctx: Context) =>
      ctx.domain.notifications.markAllRead(ctx),
  },

  Subscription: {
    notificationAdded: { subscribe: subscriptionsViaGateway, resolve: subscriptionsViaGateway },
  },

  User: {
    notifications: (
      user: UserReference,
      args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null },
      ctx: Context,
    ) => ctx.domain.notifications.page(ctx, user.id, args),
    unreadCount: (user: UserReference, _: unknown, ctx: Context) =>
      ctx.domain.notifications.unreadCount(ctx, user.id),
  },

  Notification: {
    __resolveReference: (reference: { id: string }, ctx: Context) =>
      ctx.domain.notifications.reference(ctx, reference.id),
    cursor: (notification: Notification) => cursorOf(notification.id),
    read: (notification: Notification) => notification.readAt !== null,
    actor: (notification: Notification) =>
      notification.actorId ? { __typename: 'User', id: notification.actorId } : null,
    subject: (notification: Notification) => ({
      __typename: notification.subjectType,
      id: notification.subjectId,
    }),
  },

  NotificationSubject: {
    __resolveType: (subject: { __typename: string }) => subject.__typename,
  },
};
