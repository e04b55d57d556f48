import { badUserInput, forbidden } from '@platform/errors';
import { requireScope, type AuthenticatedPrincipal, type Scope } from '@platform/identity';
import { pageSize, type Connection } from '@platform/pagination';
import type { Notification, NotificationRepository } from '../repositories/notifications.js';
import { cursorOf, parseCursor, parseNotificationId } from './cursor.js';
import type { RequestScope } from './request-scope.js';

export const DEFAULT_SINCE_SIZE = 100;
export const MAX_SINCE_SIZE = 500;
export const MAX_IDS_PER_MARK = 500;

/**
 * Reading and marking notifications. A notification belongs to its recipient alone: other callers
 * get null for it (queries, references) or FORBIDDEN for another user's list and count.
 */
export function notificationService(notifications: NotificationRepository) {
  /** The caller, who must be `userId` themself. */
  function requireSelf(scope: RequestScope, userId: string, needed: Scope): AuthenticatedPrincipal {
    const caller = requireScope(scope.principal, needed);
    if (caller.userId !== userId) {
      throw forbidden("Only the user themself can read a user's notifications");
    }
    return caller;
  }

  /** The caller's notification with this id; null for anyone else's, unknown or malformed ids. */
  async function own(scope: RequestScope, id: string): Promise<Notification | null> {
    const caller = requireScope(scope.principal, 'read');
    const canonical = parseNotificationId(id);
    if (canonical === undefined) return null;
    const notification = await scope.loaders.notification.load(canonical);
    return notification?.recipientId === caller.userId ? notification : null;
  }

  return {
    /** Query.notification */
    find: own,

    /** A federation reference (the gateway resolving a notification it was told about). */
    reference: own,

    /** The caller's notifications after `since` (all when omitted), oldest first. */
    async since(
      scope: RequestScope,
      args: { since?: string | null; first?: number | null },
    ): Promise<Notification[]> {
      const caller = requireScope(scope.principal, 'read');
      const size = args.first ?? DEFAULT_SINCE_SIZE;
      if (!Number.isInteger(size) || size < 1 || size > MAX_SINCE_SIZE) {
        throw badUserInput(`first must be between 1 and ${MAX_SINCE_SIZE}`, 'first');
      }
      const afterId = parseCursor(args.since, 'since') ?? '0';
      const rows = await notifications.findAfter(caller.userId, afterId, size);
      for (const row of rows) scope.loaders.notification.prime(row.id, row);
      return rows;
    },

    /** User.notifications: newest first; an edge's cursor is its notification's cursor. */
    async page(
      scope: RequestScope,
      userId: string,
      args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null },
    ): Promise<Connection<Notification>> {
      requireSelf(scope, userId, 'read');
      const size = pageSize(args.first);
      const rows = await scope.loaders.notificationPage.load({
        recipientId: userId,
        beforeId: parseCursor(args.after, 'after') ?? null,
        unreadOnly: args.unreadOnly ?? false,
        limit: size + 1,
      });
      const page = rows.slice(0, size);
      for (const row of page) scope.loaders.notification.prime(row.id, row);
      const edges = page.map((node) => ({ cursor: cursorOf(node.id), node }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },

    /** User.unreadCount */
    unreadCount(scope: RequestScope, userId: string): Promise<number> {
      requireSelf(scope, userId, 'read');
      return scope.loaders.unreadCount.load(userId);
    },

    /** Marks the caller's notifications among `ids` read and returns them, in the order asked. */
    async markRead(scope: RequestScope, ids: string[]): Promise<Notification[]> {
      const caller = requireScope(scope.principal, 'write');
      if (ids.length > MAX_IDS_PER_MARK) {
        throw badUserInput(`ids must hold at most ${MAX_IDS_PER_MARK} ids`, 'ids');
      }
      const wanted = [...new Set(ids.map(parseNotificationId).filter((id) => id !== undefined))];
      if (wanted.length === 0) return [];
      const marked = await notifications.markRead(caller.userId, wanted);
      forgetReadState(scope, caller.userId);
      const byId = new Map(marked.map((row) => [row.id, row]));
      for (const row of marked) scope.loaders.notification.clear(row.id).prime(row.id, row);
      return wanted.flatMap((id) => byId.get(id) ?? []);
    },

    /** Marks all the caller's notifications read; returns how many were unread. */
    async markAllRead(scope: RequestScope): Promise<number> {
      const caller = requireScope(scope.principal, 'write');
      const changed = await notifications.markAllRead(caller.userId);
      forgetReadState(scope, caller.userId);
      scope.loaders.notification.clearAll();
      return changed;
    },
  };
}

/** After a mark, later fields of the same request must not see cached read state. */
function forgetReadState({ loaders }: RequestScope, userId: string): void {
  loaders.unreadCount.clear(userId);
  loaders.notificationPage.clearAll();
}

export type NotificationService = ReturnType<typeof notificationService>;
