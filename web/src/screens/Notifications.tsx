import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { graphql } from '../generated/index.js';
import type { NotificationListQuery } from '../generated/graphql.js';
import { usePlatformClient } from '../session/SessionContext.js';
import { useLiveNotifications } from '../app/live-notifications.js';
import { Empty, ErrorNotice, Loading } from '../ui/states.js';

/** The SDK's list, plus each document's project, so a notification links to what it is about. */
export const NotificationListDocument = graphql(`
  query NotificationList($first: Int, $after: String) {
    me {
      id
      notifications(first: $first, after: $after) {
        edges {
          node {
            id
            kind
            message
            read
            createdAt
            actor {
              id
              name
            }
            subject {
              __typename
              ... on Document {
                id
                project {
                  id
                }
              }
              ... on Project {
                id
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

type ListedNotification = NonNullable<
  NotificationListQuery['me']
>['notifications']['edges'][number]['node'];

function subjectLink(notification: ListedNotification): string | undefined {
  const subject = notification.subject;
  if (subject?.__typename === 'Project') return `/projects/${subject.id}`;
  if (subject?.__typename === 'Document') {
    return `/projects/${subject.project.id}/documents/${subject.id}`;
  }
  return undefined;
}

/** The caller's notifications, newest first, live; mark read one by one or all at once. */
export function Notifications() {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const live = useLiveNotifications();
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list'],
    queryFn: async ({ pageParam }) => {
      const { me } = await client.request(NotificationListDocument, {
        first: 20,
        after: pageParam,
      });
      return me?.notifications ?? { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['notifications'] });
    await queryClient.invalidateQueries({ queryKey: ['unread-count'] });
  };
  const markRead = useMutation({
    mutationFn: (id: string) => client.notifications.markRead([id]),
    onSuccess: refresh,
  });
  const markAll = useMutation({
    mutationFn: () => client.notifications.markAllRead(),
    onSuccess: refresh,
  });
  const nodes = list.data?.pages.flatMap((page) => page.edges.map((edge) => edge.node)) ?? [];
  const error = markRead.error ?? markAll.error;
  return (
    <main id="main" tabIndex={-1} className="page">
      <div className="card-header">
        <h1>Notifications</h1>
        <button
          type="button"
          onClick={() => markAll.mutate()}
          disabled={markAll.isPending || !nodes.some((n) => !n.read)}
        >
          Mark all read
        </button>
      </div>
      <p className="muted" data-testid="live-state">
        Live updates: {live.state === 'live' ? 'connected' : live.state}
      </p>
      {error && <ErrorNotice error={error} />}
      {list.isPending ? (
        <Loading label="Loading notifications…" />
      ) : list.error ? (
        <ErrorNotice error={list.error} />
      ) : nodes.length === 0 ? (
        <Empty>No notifications yet.</Empty>
      ) : (
        <ul className="notification-list" data-testid="notification-list">
          {nodes.map((notification) => {
            const link = subjectLink(notification);
            return (
              <li key={notification.id} className={notification.read ? 'read' : 'unread'}>
                <div>
                  <span className="visually-hidden">
                    {notification.read ? 'Read: ' : 'Unread: '}
                  </span>
                  {link ? <Link to={link}>{notification.message}</Link> : notification.message}
                  <div className="muted">
                    {notification.actor?.name && `${notification.actor.name} · `}
                    <time dateTime={notification.createdAt}>
                      {new Date(notification.createdAt).toLocaleString()}
                    </time>
                  </div>
                </div>
                {!notification.read && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => markRead.mutate(notification.id)}
                    aria-label={`Mark read: ${notification.message}`}
                  >
                    Mark read
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void list.fetchNextPage()}>
          Load more
        </button>
      )}
    </main>
  );
}
