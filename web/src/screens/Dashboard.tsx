import { useMemo } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { graphql } from '../generated/index.js';
import type { DashboardAnalyticsQuery, DashboardQuery } from '../generated/graphql.js';
import { usePlatformClient } from '../session/SessionContext.js';
import { Chart } from '../charts/Chart.js';
import { activityOverTime } from '../lib/activity.js';
import { Empty, ErrorNotice, Loading, QueryState, ScrollRegion } from '../ui/states.js';
import { CreateProjectForm } from './CreateProjectForm.js';

/** The dashboard's own data: projects and unread notifications (user, data, notification). */
export const DashboardDocument = graphql(`
  query Dashboard {
    me {
      id
      name
      unreadCount
      notifications(first: 5, unreadOnly: true) {
        edges {
          node {
            id
            kind
            message
            createdAt
          }
        }
      }
    }
    projects(first: 50) {
      edges {
        node {
          id
          name
          description
        }
      }
    }
  }
`);

/**
 * Its numbers, from the analytics subgraph, in a request of their own: while analytics is away
 * (SUBGRAPH_UNAVAILABLE) the projects and notifications still show, with the error beside them.
 */
export const DashboardAnalyticsDocument = graphql(`
  query DashboardAnalytics {
    me {
      id
      hour: activity(range: LAST_HOUR) {
        documentsCreated
        documentEdits
      }
      day: activity(range: LAST_DAY) {
        documentsCreated
        documentEdits
      }
      week: activity(range: LAST_7_DAYS) {
        documentsCreated
        documentEdits
      }
      month: activity(range: LAST_30_DAYS) {
        documentsCreated
        documentEdits
      }
    }
    projects(first: 50) {
      edges {
        node {
          id
          stats {
            documents
            edits
            activeEditorsLast7Days
            lastActivityAt
          }
        }
      }
    }
    topProjects(range: LAST_7_DAYS, first: 5) {
      events
      project {
        id
        name
      }
    }
  }
`);

/**
 * The gateway can answer `data: null` with no `errors` (a non-null field, such as the name of a
 * top project that no longer exists, came back null: Apollo reports it under
 * `extensions.valueCompletion`); the SDK passes that on, so it is an error here.
 */
async function requireData<T>(answer: Promise<T | null | undefined>): Promise<T> {
  const data = await answer;
  if (!data) throw new Error('The platform answered without data; try again later');
  return data;
}

type Analytics = { data?: DashboardAnalyticsQuery; error: unknown; isPending: boolean };

export function Dashboard() {
  const client = usePlatformClient();
  const query = useQuery({
    queryKey: ['projects', 'dashboard'],
    queryFn: () => requireData(client.request(DashboardDocument)),
  });
  const analytics = useQuery({
    queryKey: ['projects', 'dashboard-analytics'],
    queryFn: () => requireData(client.request(DashboardAnalyticsDocument)),
  });
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Dashboard</h1>
      <QueryState query={query} label="Loading your dashboard…">
        {(data) => <DashboardContent data={data} analytics={analytics} />}
      </QueryState>
    </main>
  );
}

function DashboardContent({ data, analytics }: { data: DashboardQuery; analytics: Analytics }) {
  const projects = data.projects.edges.map((edge) => edge.node);
  const me = data.me;
  const statsById = useMemo(
    () => new Map(analytics.data?.projects.edges.map(({ node }) => [node.id, node.stats]) ?? []),
    [analytics.data],
  );
  const activityOf = analytics.data?.me;
  const activity = useMemo(
    () =>
      activityOf
        ? activityOverTime({
            hour: activityOf.hour,
            day: activityOf.day,
            week: activityOf.week,
            month: activityOf.month,
          })
        : undefined,
    [activityOf],
  );
  const activitySeries = useMemo(
    () =>
      activity
        ? [
            { label: 'Edits', values: activity.edits, color: '#1d4ed8' },
            { label: 'Documents created', values: activity.created, color: '#b45309' },
          ]
        : [],
    [activity],
  );
  const activityX = useMemo(() => activity?.categories.map((_, index) => index) ?? [], [activity]);
  const stat = (value: number | undefined) => (value === undefined ? '…' : value);
  const analyticsState = analytics.isPending ? (
    <Loading label="Loading activity…" />
  ) : analytics.error ? (
    <ErrorNotice error={analytics.error} title="Activity is unavailable" />
  ) : undefined;
  return (
    <div className="grid">
      <section aria-labelledby="projects-heading" className="card span-2">
        <h2 id="projects-heading">My projects</h2>
        {projects.length === 0 ? (
          <Empty>No projects yet: create your first one below.</Empty>
        ) : (
          <ScrollRegion label="My projects">
            <table>
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Documents</th>
                  <th scope="col">Edits</th>
                  <th scope="col">Active editors (7 days)</th>
                  <th scope="col">Last activity</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((project) => {
                  const stats = statsById.get(project.id);
                  return (
                    <tr key={project.id}>
                      <th scope="row">
                        <Link to={`/projects/${project.id}`}>{project.name}</Link>
                      </th>
                      <td>{stat(stats?.documents)}</td>
                      <td>{stat(stats?.edits)}</td>
                      <td>{stat(stats?.activeEditorsLast7Days)}</td>
                      <td>
                        {stats?.lastActivityAt
                          ? new Date(stats.lastActivityAt).toLocaleString()
                          : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        )}
        <CreateProjectForm />
      </section>
      <section aria-labelledby="activity-heading" className="card">
        <h2 id="activity-heading">My activity</h2>
        {analyticsState ??
          (activity && (activity.edits.some(Boolean) || activity.created.some(Boolean)) ? (
            <Chart
              title="My edits and new documents over the last 30 days"
              kind="bars"
              x={activityX}
              categories={activity.categories}
              series={activitySeries}
            />
          ) : (
            <Empty>No activity in the last 30 days.</Empty>
          ))}
      </section>
      <section aria-labelledby="top-heading" className="card">
        <h2 id="top-heading">Top projects (7 days)</h2>
        {analyticsState ??
          (!analytics.data?.topProjects.length ? (
            <Empty>No activity this week.</Empty>
          ) : (
            <ol className="top-list">
              {analytics.data.topProjects.map((top) => (
                <li key={top.project.id}>
                  <Link to={`/projects/${top.project.id}`}>{top.project.name}</Link>{' '}
                  <span className="muted">{top.events} events</span>
                </li>
              ))}
            </ol>
          ))}
      </section>
      <section aria-labelledby="unread-heading" className="card">
        <h2 id="unread-heading">Unread notifications ({me?.unreadCount ?? 0})</h2>
        {!me || me.notifications.edges.length === 0 ? (
          <Empty>You are all caught up.</Empty>
        ) : (
          <ul className="plain-list">
            {me.notifications.edges.map(({ node }) => (
              <li key={node.id}>
                {node.message}{' '}
                <time className="muted" dateTime={node.createdAt}>
                  {new Date(node.createdAt).toLocaleString()}
                </time>
              </li>
            ))}
          </ul>
        )}
        <Link to="/notifications">All notifications</Link>
      </section>
    </div>
  );
}
