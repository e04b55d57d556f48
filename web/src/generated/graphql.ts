/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type NotificationKind =
  | 'DOCUMENT_CREATED'
  | 'DOCUMENT_DELETED'
  | 'DOCUMENT_UPDATED'
  | 'PROJECT_MEMBER_ADDED';

export type DashboardQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardQuery = { me: { id: string, name: string, unreadCount: number, notifications: { edges: Array<{ node: { id: string, kind: NotificationKind, message: string, createdAt: string } }> } } | null, projects: { edges: Array<{ node: { id: string, name: string, description: string | null } }> } };

export type DashboardAnalyticsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardAnalyticsQuery = { me: { id: string, hour: { documentsCreated: number, documentEdits: number }, day: { documentsCreated: number, documentEdits: number }, week: { documentsCreated: number, documentEdits: number }, month: { documentsCreated: number, documentEdits: number } } | null, projects: { edges: Array<{ node: { id: string, stats: { documents: number, edits: number, activeEditorsLast7Days: number, lastActivityAt: string | null } } }> }, topProjects: Array<{ events: number, project: { id: string, name: string } }> };

export type NotificationListQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NotificationListQuery = { me: { id: string, notifications: { edges: Array<{ node: { id: string, kind: NotificationKind, message: string, read: boolean, createdAt: string, actor: { id: string, name: string } | null, subject:
            | { __typename: 'Document', id: string, project: { id: string } }
            | { __typename: 'Project', id: string }
           | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const DashboardDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const DashboardAnalyticsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardAnalyticsQuery, DashboardAnalyticsQueryVariables>;
export const NotificationListDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<NotificationListQuery, NotificationListQueryVariables>;