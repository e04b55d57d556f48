/**
 * The one operation every target serves: a dashboard that touches all four subgraphs with nested
 * lists. user: the caller and every document's author; data: projects and their documents;
 * analytics: each project's stats and the caller's activity; notification: the caller's
 * notifications, whose subjects resolve back through data.
 */
export const DASHBOARD_QUERY = `query BenchDashboard {
  me {
    id
    name
    email
    activity(range: LAST_7_DAYS) {
      documentsCreated
      documentEdits
      projectsCreated
    }
    projects(first: 5) {
      edges {
        node {
          id
          name
          createdAt
          stats {
            documents
            edits
            activeEditorsLast7Days
            lastActivityAt
          }
          documents(first: 10) {
            edges {
              node {
                id
                title
                tags
                version
                updatedAt
                author {
                  id
                  name
                }
              }
            }
          }
        }
      }
    }
    unreadCount
    notifications(first: 10) {
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
              title
            }
          }
        }
      }
    }
  }
}`;

export interface SeedShape {
  projects: number;
  documentsPerProject: number;
  ownerEditsPerProject: number;
  memberEditsPerProject: number;
}

/** The shape the seed gives the benchmark user, which the query above returns in full. */
export const SEED_SHAPE: SeedShape = {
  projects: 5,
  documentsPerProject: 10,
  /** Edits per project by the benchmark user. */
  ownerEditsPerProject: 3,
  /** Edits per project by the second member; each one notifies the benchmark user. */
  memberEditsPerProject: 2,
};

export interface DashboardData {
  me: {
    id: string;
    projects: {
      edges: Array<{
        node: {
          id: string;
          stats: { documents: number; edits: number };
          documents: { edges: Array<{ node: { id: string } }> };
        };
      }>;
    };
    unreadCount: number;
    notifications: { edges: Array<{ node: { id: string } }> };
  } | null;
}
