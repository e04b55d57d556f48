/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Dashboard {\n    me {\n      id\n      name\n      unreadCount\n      notifications(first: 5, unreadOnly: true) {\n        edges {\n          node {\n            id\n            kind\n            message\n            createdAt\n          }\n        }\n      }\n    }\n    projects(first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n        }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query DashboardAnalytics {\n    me {\n      id\n      hour: activity(range: LAST_HOUR) {\n        documentsCreated\n        documentEdits\n      }\n      day: activity(range: LAST_DAY) {\n        documentsCreated\n        documentEdits\n      }\n      week: activity(range: LAST_7_DAYS) {\n        documentsCreated\n        documentEdits\n      }\n      month: activity(range: LAST_30_DAYS) {\n        documentsCreated\n        documentEdits\n      }\n    }\n    projects(first: 50) {\n      edges {\n        node {\n          id\n          stats {\n            documents\n            edits\n            activeEditorsLast7Days\n            lastActivityAt\n          }\n        }\n      }\n    }\n    topProjects(range: LAST_7_DAYS, first: 5) {\n      events\n      project {\n        id\n        name\n      }\n    }\n  }\n": typeof types.DashboardAnalyticsDocument,
    "\n  query NotificationList($first: Int, $after: String) {\n    me {\n      id\n      notifications(first: $first, after: $after) {\n        edges {\n          node {\n            id\n            kind\n            message\n            read\n            createdAt\n            actor {\n              id\n              name\n            }\n            subject {\n              __typename\n              ... on Document {\n                id\n                project {\n                  id\n                }\n              }\n              ... on Project {\n                id\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.NotificationListDocument,
};
const documents: Documents = {
    "\n  query Dashboard {\n    me {\n      id\n      name\n      unreadCount\n      notifications(first: 5, unreadOnly: true) {\n        edges {\n          node {\n            id\n            kind\n            message\n            createdAt\n          }\n        }\n      }\n    }\n    projects(first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n        }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query DashboardAnalytics {\n    me {\n      id\n      hour: activity(range: LAST_HOUR) {\n        documentsCreated\n        documentEdits\n      }\n      day: activity(range: LAST_DAY) {\n        documentsCreated\n        documentEdits\n      }\n      week: activity(range: LAST_7_DAYS) {\n        documentsCreated\n        documentEdits\n      }\n      month: activity(range: LAST_30_DAYS) {\n        documentsCreated\n        documentEdits\n      }\n    }\n    projects(first: 50) {\n      edges {\n        node {\n          id\n          stats {\n            documents\n            edits\n            activeEditorsLast7Days\n            lastActivityAt\n          }\n        }\n      }\n    }\n    topProjects(range: LAST_7_DAYS, first: 5) {\n      events\n      project {\n        id\n        name\n      }\n    }\n  }\n": types.DashboardAnalyticsDocument,
    "\n  query NotificationList($first: Int, $after: String) {\n    me {\n      id\n      notifications(first: $first, after: $after) {\n        edges {\n          node {\n            id\n            kind\n            message\n            read\n            createdAt\n            actor {\n              id\n              name\n            }\n            subject {\n              __typename\n              ... on Document {\n                id\n                project {\n                  id\n                }\n              }\n              ... on Project {\n                id\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.NotificationListDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard {\n    me {\n      id\n      name\n      unreadCount\n      notifications(first: 5, unreadOnly: true) {\n        edges {\n          node {\n            id\n            kind\n            message\n            createdAt\n          }\n        }\n      }\n    }\n    projects(first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardAnalytics {\n    me {\n      id\n      hour: activity(range: LAST_HOUR) {\n        documentsCreated\n        documentEdits\n      }\n      day: activity(range: LAST_DAY) {\n        documentsCreated\n        documentEdits\n      }\n      week: activity(range: LAST_7_DAYS) {\n        documentsCreated\n        documentEdits\n      }\n      month: activity(range: LAST_30_DAYS) {\n        documentsCreated\n        documentEdits\n      }\n    }\n    projects(first: 50) {\n      edges {\n        node {\n          id\n          stats {\n            documents\n            edits\n            activeEditorsLast7Days\n            lastActivityAt\n          }\n        }\n      }\n    }\n    topProjects(range: LAST_7_DAYS, first: 5) {\n      events\n      project {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardAnalyticsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationList($first: Int, $after: String) {\n    me {\n      id\n      notifications(first: $first, after: $after) {\n        edges {\n          node {\n            id\n            kind\n            message\n            read\n            createdAt\n            actor {\n              id\n              name\n            }\n            subject {\n              __typename\n              ... on Document {\n                id\n                project {\n                  id\n                }\n              }\n              ... on Project {\n                id\n              }\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').NotificationListDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
