import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time in UTC. */
  DateTime: { input: string; output: string; }
  /** Any JSON value: the flexible content of a document. */
  JSON: { input: unknown; output: unknown; }
};

/** A credential for programs. Only a hash of its secret is stored. */
export type ApiKey = {
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The first characters of the secret, to tell keys apart. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<ApiKeyScope>;
};

export type ApiKeyScope =
  | 'READ'
  | 'WRITE';

export type AuthPayload = {
  expiresAt: Scalars['DateTime']['output'];
  /** A signed JWT to send as `Authorization: Bearer <token>`. */
  token: Scalars['String']['output'];
  user: User;
};

export type CreateDocumentInput = {
  body?: InputMaybe<Scalars['JSON']['input']>;
  projectId: Scalars['ID']['input'];
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  title: Scalars['String']['input'];
};

export type CreateProjectInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

export type CreatedApiKey = {
  apiKey: ApiKey;
  /** The secret, shown this once. Send it as `x-api-key` or `Authorization: ApiKey <secret>`. */
  secret: Scalars['String']['output'];
};

export type Document = {
  author: User;
  body?: Maybe<Scalars['JSON']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  project: Project;
  tags: Array<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Starts at 1 and grows by one with every update; send it back as `expectedVersion`. */
  version: Scalars['Int']['output'];
};

export type DocumentConnection = {
  edges: Array<DocumentEdge>;
  pageInfo: PageInfo;
};

export type DocumentEdge = {
  cursor: Scalars['String']['output'];
  node: Document;
};

/** Fields to change; omitted fields stay as they are. */
export type DocumentPatch = {
  body?: InputMaybe<Scalars['JSON']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type Granularity =
  | 'DAY'
  | 'HOUR'
  | 'MINUTE';

export type MetricPoint = {
  /** Start of the bucket. */
  bucket: Scalars['DateTime']['output'];
  value: Scalars['Int']['output'];
};

export type MetricSeries = {
  granularity: Granularity;
  name: Scalars['String']['output'];
  points: Array<MetricPoint>;
};

export type Mutation = {
  /** Adds or changes a member (OWNER or ADMIN of the organization only). */
  addOrganizationMember: OrganizationMembership;
  addProjectMember: Project;
  createApiKey: CreatedApiKey;
  createDocument: Document;
  /** Creates an organization with the caller as its OWNER. */
  createOrganization: Organization;
  /** Creates a project with the caller as owner and first member. */
  createProject: Project;
  /** Deletes the document and returns its id. */
  deleteDocument: Scalars['ID']['output'];
  login: AuthPayload;
  /** Marks all the caller's notifications read; returns how many changed. */
  markAllNotificationsRead: Scalars['Int']['output'];
  /** Marks the caller's notifications with these ids read; returns them. */
  markNotificationsRead: Array<Notification>;
  revokeApiKey: ApiKey;
  signUp: AuthPayload;
  /** Applies the patch only if the document is still at `expectedVersion`; otherwise VERSION_CONFLICT. */
  updateDocument: Document;
};


export type MutationAddOrganizationMemberArgs = {
  organizationId: Scalars['ID']['input'];
  role: OrganizationRole;
  userId: Scalars['ID']['input'];
};


export type MutationAddProjectMemberArgs = {
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  name: Scalars['String']['input'];
  scopes: Array<ApiKeyScope>;
};


export type MutationCreateDocumentArgs = {
  input: CreateDocumentInput;
};


export type MutationCreateOrganizationArgs = {
  name: Scalars['String']['input'];
};


export type MutationCreateProjectArgs = {
  input: CreateProjectInput;
};


export type MutationDeleteDocumentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationLoginArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationMarkNotificationsReadArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSignUpArgs = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationUpdateDocumentArgs = {
  expectedVersion: Scalars['Int']['input'];
  id: Scalars['ID']['input'];
  patch: DocumentPatch;
};

/** Something that happened that a user should know about. */
export type Notification = {
  /** Who caused it, when a person did. */
  actor?: Maybe<User>;
  createdAt: Scalars['DateTime']['output'];
  /** Opaque and increasing per recipient. Pass the last one you saw as `since` to resume. */
  cursor: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  kind: NotificationKind;
  message: Scalars['String']['output'];
  read: Scalars['Boolean']['output'];
  /** What it is about; null once that is gone. */
  subject?: Maybe<NotificationSubject>;
};

export type NotificationConnection = {
  edges: Array<NotificationEdge>;
  pageInfo: PageInfo;
};

export type NotificationEdge = {
  cursor: Scalars['String']['output'];
  node: Notification;
};

export type NotificationKind =
  | 'DOCUMENT_CREATED'
  | 'DOCUMENT_DELETED'
  | 'DOCUMENT_UPDATED'
  | 'PROJECT_MEMBER_ADDED';

/** What a notification is about; cached as long as the notification that names it. */
export type NotificationSubject = Document | Project;

export type Organization = {
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  members: OrganizationMemberConnection;
  name: Scalars['String']['output'];
};


export type OrganizationMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type OrganizationMemberConnection = {
  edges: Array<OrganizationMemberEdge>;
  pageInfo: PageInfo;
};

export type OrganizationMemberEdge = {
  cursor: Scalars['String']['output'];
  node: OrganizationMembership;
};

export type OrganizationMembership = {
  joinedAt: Scalars['DateTime']['output'];
  organization: Organization;
  role: OrganizationRole;
  user: User;
};

export type OrganizationRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type PageInfo = {
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Project = {
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  documents: DocumentConnection;
  id: Scalars['ID']['output'];
  members: Array<User>;
  name: Scalars['String']['output'];
  owner: User;
  stats: ProjectStats;
};


export type ProjectDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
};

export type ProjectConnection = {
  edges: Array<ProjectEdge>;
  pageInfo: PageInfo;
};

export type ProjectEdge = {
  cursor: Scalars['String']['output'];
  node: Project;
};

export type ProjectFilter = {
  /** Only projects this user is a member of. */
  memberId?: InputMaybe<Scalars['ID']['input']>;
  /** Case-insensitive substring of the project name. */
  nameContains?: InputMaybe<Scalars['String']['input']>;
};

export type ProjectStats = {
  /** Distinct users who created or edited a document in the last 7 days. */
  activeEditorsLast7Days: Scalars['Int']['output'];
  /** Documents in the project now (created minus deleted). */
  documents: Scalars['Int']['output'];
  /** Document updates ever made. */
  edits: Scalars['Int']['output'];
  lastActivityAt?: Maybe<Scalars['DateTime']['output']>;
};

export type Query = {
  /** The caller's API keys, newest first. */
  apiKeys: Array<ApiKey>;
  document?: Maybe<Document>;
  documents: DocumentConnection;
  /** The caller. */
  me?: Maybe<User>;
  /**
   * Counts of one event type (for example "document.updated") or of all events ("events"), per
   * bucket from `from` (inclusive) to `to` (exclusive); empty buckets are 0. Administrators only.
   */
  metrics: MetricSeries;
  /** One of the caller's notifications. */
  notification?: Maybe<Notification>;
  /** The caller's notifications after `since` (a Notification.cursor; all when omitted), oldest first. */
  notificationsSince: Array<Notification>;
  /** An organization the caller belongs to (any, for administrators). */
  organization?: Maybe<Organization>;
  project?: Maybe<Project>;
  /** Projects the caller is a member of (every project, for administrators). */
  projects: ProjectConnection;
  /** The caller's most active projects (any project, for administrators). */
  topProjects: Array<TopProject>;
  user?: Maybe<User>;
  /** Every user (administrators only). */
  users: UserConnection;
};


export type QueryDocumentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDocumentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  projectId: Scalars['ID']['input'];
  search?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
};


export type QueryMetricsArgs = {
  from: Scalars['DateTime']['input'];
  granularity: Granularity;
  name: Scalars['String']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryNotificationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNotificationsSinceArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  since?: InputMaybe<Scalars['String']['input']>;
};


export type QueryOrganizationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProjectArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProjectFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTopProjectsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  range?: InputMaybe<TimeRange>;
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Role =
  | 'ADMIN'
  | 'USER';

export type Subscription = {
  /** The caller's new notifications, live. With `since`, first those after that cursor, in order. */
  notificationAdded: Notification;
};


export type SubscriptionNotificationAddedArgs = {
  since?: InputMaybe<Scalars['String']['input']>;
};

export type TimeRange =
  | 'LAST_7_DAYS'
  | 'LAST_30_DAYS'
  | 'LAST_DAY'
  | 'LAST_HOUR';

export type TopProject = {
  /** Events about the project and its documents in the range. */
  events: Scalars['Int']['output'];
  project: Project;
};

/** A person who uses the platform. */
export type User = {
  activity: UserActivity;
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Organizations this user belongs to, with their role in each. */
  memberships: Array<OrganizationMembership>;
  name: Scalars['String']['output'];
  /** This user's notifications, newest first (only the user themself may read them). */
  notifications: NotificationConnection;
  /** Projects this user is a member of that the caller may see. */
  projects: ProjectConnection;
  /** The platform-wide role; ADMIN sees and manages everything. */
  role: Role;
  unreadCount: Scalars['Int']['output'];
};


/** A person who uses the platform. */
export type UserActivityArgs = {
  range?: InputMaybe<TimeRange>;
};


/** A person who uses the platform. */
export type UserNotificationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  unreadOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


/** A person who uses the platform. */
export type UserProjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type UserActivity = {
  documentEdits: Scalars['Int']['output'];
  documentsCreated: Scalars['Int']['output'];
  lastActiveAt?: Maybe<Scalars['DateTime']['output']>;
  projectsCreated: Scalars['Int']['output'];
  range: TimeRange;
};

export type UserConnection = {
  edges: Array<UserEdge>;
  pageInfo: PageInfo;
};

export type UserEdge = {
  cursor: Scalars['String']['output'];
  node: User;
};

export type TopProjectsQueryVariables = Exact<{
  range?: InputMaybe<TimeRange>;
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type TopProjectsQuery = { topProjects: Array<{ events: number, project: { id: string, name: string } }> };

export type ProjectStatsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectStatsQuery = { project?: { id: string, stats: { documents: number, edits: number, activeEditorsLast7Days: number, lastActivityAt?: string | null } } | null };

export type UserActivityQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  range?: InputMaybe<TimeRange>;
}>;


export type UserActivityQuery = { user?: { id: string, activity: { range: TimeRange, documentsCreated: number, documentEdits: number, projectsCreated: number, lastActiveAt?: string | null } } | null };

export type MetricsQueryVariables = Exact<{
  name: Scalars['String']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  granularity: Granularity;
}>;


export type MetricsQuery = { metrics: { name: string, granularity: Granularity, points: Array<{ bucket: string, value: number }> } };

export type DocumentQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DocumentQuery = { document?: { id: string, title: string, body?: unknown | null, tags: Array<string>, version: number, createdAt: string, updatedAt: string, author: { id: string, name: string }, project: { id: string } } | null };

export type DocumentsQueryVariables = Exact<{
  projectId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
}>;


export type DocumentsQuery = { documents: { edges: Array<{ cursor: string, node: { id: string, title: string, body?: unknown | null, tags: Array<string>, version: number, createdAt: string, updatedAt: string, author: { id: string, name: string }, project: { id: string } } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type CreateDocumentMutationVariables = Exact<{
  input: CreateDocumentInput;
}>;


export type CreateDocumentMutation = { createDocument: { id: string, title: string, body?: unknown | null, tags: Array<string>, version: number, createdAt: string, updatedAt: string, author: { id: string, name: string }, project: { id: string } } };

export type UpdateDocumentMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  expectedVersion: Scalars['Int']['input'];
  patch: DocumentPatch;
}>;


export type UpdateDocumentMutation = { updateDocument: { id: string, title: string, body?: unknown | null, tags: Array<string>, version: number, createdAt: string, updatedAt: string, author: { id: string, name: string }, project: { id: string } } };

export type DeleteDocumentMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteDocumentMutation = { deleteDocument: string };

export type ProjectFieldsFragment = { id: string, name: string, description?: string | null, createdAt: string, owner: { id: string, name: string } };

export type DocumentFieldsFragment = { id: string, title: string, body?: unknown | null, tags: Array<string>, version: number, createdAt: string, updatedAt: string, author: { id: string, name: string }, project: { id: string } };

export type ProjectQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectQuery = { project?: { id: string, name: string, description?: string | null, createdAt: string, owner: { id: string, name: string } } | null };

export type ProjectsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProjectFilter>;
}>;


export type ProjectsQuery = { projects: { edges: Array<{ cursor: string, node: { id: string, name: string, description?: string | null, createdAt: string, owner: { id: string, name: string } } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type ProjectMembersQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ProjectMembersQuery = { project?: { id: string, members: Array<{ id: string, name: string, email: string }> } | null };

export type CreateProjectMutationVariables = Exact<{
  input: CreateProjectInput;
}>;


export type CreateProjectMutation = { createProject: { id: string, name: string, description?: string | null, createdAt: string, owner: { id: string, name: string } } };

export type AddProjectMemberMutationVariables = Exact<{
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
}>;


export type AddProjectMemberMutation = { addProjectMember: { id: string, name: string, description?: string | null, createdAt: string, members: Array<{ id: string, name: string }>, owner: { id: string, name: string } } };

export type NotificationFieldsFragment = { id: string, cursor: string, kind: NotificationKind, message: string, read: boolean, createdAt: string, actor?: { id: string, name: string } | null, subject?: { __typename: 'Document', id: string, title: string } | { __typename: 'Project', id: string, name: string } | null };

export type NotificationsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  unreadOnly?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type NotificationsQuery = { me?: { id: string, notifications: { edges: Array<{ cursor: string, node: { id: string, cursor: string, kind: NotificationKind, message: string, read: boolean, createdAt: string, actor?: { id: string, name: string } | null, subject?: { __typename: 'Document', id: string, title: string } | { __typename: 'Project', id: string, name: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } } | null };

export type NotificationsSinceQueryVariables = Exact<{
  since?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type NotificationsSinceQuery = { notificationsSince: Array<{ id: string, cursor: string, kind: NotificationKind, message: string, read: boolean, createdAt: string, actor?: { id: string, name: string } | null, subject?: { __typename: 'Document', id: string, title: string } | { __typename: 'Project', id: string, name: string } | null }> };

export type UnreadCountQueryVariables = Exact<{ [key: string]: never; }>;


export type UnreadCountQuery = { me?: { id: string, unreadCount: number } | null };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type MarkNotificationsReadMutation = { markNotificationsRead: Array<{ id: string, cursor: string, kind: NotificationKind, message: string, read: boolean, createdAt: string, actor?: { id: string, name: string } | null, subject?: { __typename: 'Document', id: string, title: string } | { __typename: 'Project', id: string, name: string } | null }> };

export type MarkAllNotificationsReadMutationVariables = Exact<{ [key: string]: never; }>;


export type MarkAllNotificationsReadMutation = { markAllNotificationsRead: number };

export type NotificationAddedSubscriptionVariables = Exact<{
  since?: InputMaybe<Scalars['String']['input']>;
}>;


export type NotificationAddedSubscription = { notificationAdded: { id: string, cursor: string, kind: NotificationKind, message: string, read: boolean, createdAt: string, actor?: { id: string, name: string } | null, subject?: { __typename: 'Document', id: string, title: string } | { __typename: 'Project', id: string, name: string } | null } };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ id: string, name: string, scopes: Array<ApiKeyScope>, prefix: string, createdAt: string, lastUsedAt?: string | null, revokedAt?: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  name: Scalars['String']['input'];
  scopes: Array<ApiKeyScope> | ApiKeyScope;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, apiKey: { id: string, name: string, scopes: Array<ApiKeyScope>, prefix: string, createdAt: string, lastUsedAt?: string | null, revokedAt?: string | null } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, name: string, scopes: Array<ApiKeyScope>, prefix: string, createdAt: string, lastUsedAt?: string | null, revokedAt?: string | null } };

export type SignUpMutationVariables = Exact<{
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type SignUpMutation = { signUp: { token: string, expiresAt: string, user: { id: string, email: string, name: string, role: Role, createdAt: string } } };

export type LoginMutationVariables = Exact<{
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type LoginMutation = { login: { token: string, expiresAt: string, user: { id: string, email: string, name: string, role: Role, createdAt: string } } };

export type UserFieldsFragment = { id: string, email: string, name: string, role: Role, createdAt: string };

export type ApiKeyFieldsFragment = { id: string, name: string, scopes: Array<ApiKeyScope>, prefix: string, createdAt: string, lastUsedAt?: string | null, revokedAt?: string | null };

export type OrganizationFieldsFragment = { id: string, name: string, createdAt: string };

export type OrganizationQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type OrganizationQuery = { organization?: { id: string, name: string, createdAt: string } | null };

export type OrganizationMembersQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type OrganizationMembersQuery = { organization?: { id: string, members: { edges: Array<{ cursor: string, node: { role: OrganizationRole, joinedAt: string, user: { id: string, email: string, name: string, role: Role, createdAt: string } } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } } | null };

export type CreateOrganizationMutationVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type CreateOrganizationMutation = { createOrganization: { id: string, name: string, createdAt: string } };

export type AddOrganizationMemberMutationVariables = Exact<{
  organizationId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
  role: OrganizationRole;
}>;


export type AddOrganizationMemberMutation = { addOrganizationMember: { role: OrganizationRole, joinedAt: string, organization: { id: string, name: string, createdAt: string }, user: { id: string, email: string, name: string, role: Role, createdAt: string } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me?: { id: string, email: string, name: string, role: Role, createdAt: string, memberships: Array<{ role: OrganizationRole, joinedAt: string, organization: { id: string, name: string, createdAt: string } }> } | null };

export type UserQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type UserQuery = { user?: { id: string, email: string, name: string, role: Role, createdAt: string } | null };

export type UsersQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type UsersQuery = { users: { edges: Array<{ cursor: string, node: { id: string, email: string, name: string, role: Role, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

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
export const ProjectFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  owner {
    id
    name
  }
}
    `, {"fragmentName":"ProjectFields"}) as unknown as TypedDocumentString<ProjectFieldsFragment, unknown>;
export const DocumentFieldsFragmentDoc = new TypedDocumentString(`
    fragment DocumentFields on Document {
  id
  title
  body
  tags
  version
  createdAt
  updatedAt
  author {
    id
    name
  }
  project {
    id
  }
}
    `, {"fragmentName":"DocumentFields"}) as unknown as TypedDocumentString<DocumentFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationFields on Notification {
  id
  cursor
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
    ... on Project {
      id
      name
    }
  }
}
    `, {"fragmentName":"NotificationFields"}) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  scopes
  prefix
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const OrganizationFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrganizationFields on Organization {
  id
  name
  createdAt
}
    `, {"fragmentName":"OrganizationFields"}) as unknown as TypedDocumentString<OrganizationFieldsFragment, unknown>;
export const TopProjectsDocument = new TypedDocumentString(`
    query TopProjects($range: TimeRange, $first: Int) {
  topProjects(range: $range, first: $first) {
    events
    project {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<TopProjectsQuery, TopProjectsQueryVariables>;
export const ProjectStatsDocument = new TypedDocumentString(`
    query ProjectStats($id: ID!) {
  project(id: $id) {
    id
    stats {
      documents
      edits
      activeEditorsLast7Days
      lastActivityAt
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectStatsQuery, ProjectStatsQueryVariables>;
export const UserActivityDocument = new TypedDocumentString(`
    query UserActivity($id: ID!, $range: TimeRange) {
  user(id: $id) {
    id
    activity(range: $range) {
      range
      documentsCreated
      documentEdits
      projectsCreated
      lastActiveAt
    }
  }
}
    `) as unknown as TypedDocumentString<UserActivityQuery, UserActivityQueryVariables>;
export const MetricsDocument = new TypedDocumentString(`
    query Metrics($name: String!, $from: DateTime!, $to: DateTime!, $granularity: Granularity!) {
  metrics(name: $name, from: $from, to: $to, granularity: $granularity) {
    name
    granularity
    points {
      bucket
      value
    }
  }
}
    `) as unknown as TypedDocumentString<MetricsQuery, MetricsQueryVariables>;
export const DocumentDocument = new TypedDocumentString(`
    query Document($id: ID!) {
  document(id: $id) {
    ...DocumentFields
  }
}
    fragment DocumentFields on Document {
  id
  title
  body
  tags
  version
  createdAt
  updatedAt
  author {
    id
    name
  }
  project {
    id
  }
}`) as unknown as TypedDocumentString<DocumentQuery, DocumentQueryVariables>;
export const DocumentsDocument = new TypedDocumentString(`
    query Documents($projectId: ID!, $first: Int, $after: String, $tag: String, $search: String) {
  documents(
    projectId: $projectId
    first: $first
    after: $after
    tag: $tag
    search: $search
  ) {
    edges {
      cursor
      node {
        ...DocumentFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment DocumentFields on Document {
  id
  title
  body
  tags
  version
  createdAt
  updatedAt
  author {
    id
    name
  }
  project {
    id
  }
}`) as unknown as TypedDocumentString<DocumentsQuery, DocumentsQueryVariables>;
export const CreateDocumentDocument = new TypedDocumentString(`
    mutation CreateDocument($input: CreateDocumentInput!) {
  createDocument(input: $input) {
    ...DocumentFields
  }
}
    fragment DocumentFields on Document {
  id
  title
  body
  tags
  version
  createdAt
  updatedAt
  author {
    id
    name
  }
  project {
    id
  }
}`) as unknown as TypedDocumentString<CreateDocumentMutation, CreateDocumentMutationVariables>;
export const UpdateDocumentDocument = new TypedDocumentString(`
    mutation UpdateDocument($id: ID!, $expectedVersion: Int!, $patch: DocumentPatch!) {
  updateDocument(id: $id, expectedVersion: $expectedVersion, patch: $patch) {
    ...DocumentFields
  }
}
    fragment DocumentFields on Document {
  id
  title
  body
  tags
  version
  createdAt
  updatedAt
  author {
    id
    name
  }
  project {
    id
  }
}`) as unknown as TypedDocumentString<UpdateDocumentMutation, UpdateDocumentMutationVariables>;
export const DeleteDocumentDocument = new TypedDocumentString(`
    mutation DeleteDocument($id: ID!) {
  deleteDocument(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteDocumentMutation, DeleteDocumentMutationVariables>;
export const ProjectDocument = new TypedDocumentString(`
    query Project($id: ID!) {
  project(id: $id) {
    ...ProjectFields
  }
}
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  owner {
    id
    name
  }
}`) as unknown as TypedDocumentString<ProjectQuery, ProjectQueryVariables>;
export const ProjectsDocument = new TypedDocumentString(`
    query Projects($first: Int, $after: String, $filter: ProjectFilter) {
  projects(first: $first, after: $after, filter: $filter) {
    edges {
      cursor
      node {
        ...ProjectFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  owner {
    id
    name
  }
}`) as unknown as TypedDocumentString<ProjectsQuery, ProjectsQueryVariables>;
export const ProjectMembersDocument = new TypedDocumentString(`
    query ProjectMembers($id: ID!) {
  project(id: $id) {
    id
    members {
      id
      name
      email
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectMembersQuery, ProjectMembersQueryVariables>;
export const CreateProjectDocument = new TypedDocumentString(`
    mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) {
    ...ProjectFields
  }
}
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  owner {
    id
    name
  }
}`) as unknown as TypedDocumentString<CreateProjectMutation, CreateProjectMutationVariables>;
export const AddProjectMemberDocument = new TypedDocumentString(`
    mutation AddProjectMember($projectId: ID!, $userId: ID!) {
  addProjectMember(projectId: $projectId, userId: $userId) {
    ...ProjectFields
    members {
      id
      name
    }
  }
}
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  owner {
    id
    name
  }
}`) as unknown as TypedDocumentString<AddProjectMemberMutation, AddProjectMemberMutationVariables>;
export const NotificationsDocument = new TypedDocumentString(`
    query Notifications($first: Int, $after: String, $unreadOnly: Boolean) {
  me {
    id
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      edges {
        cursor
        node {
          ...NotificationFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment NotificationFields on Notification {
  id
  cursor
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
    ... on Project {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<NotificationsQuery, NotificationsQueryVariables>;
export const NotificationsSinceDocument = new TypedDocumentString(`
    query NotificationsSince($since: String, $first: Int) {
  notificationsSince(since: $since, first: $first) {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  cursor
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
    ... on Project {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<NotificationsSinceQuery, NotificationsSinceQueryVariables>;
export const UnreadCountDocument = new TypedDocumentString(`
    query UnreadCount {
  me {
    id
    unreadCount
  }
}
    `) as unknown as TypedDocumentString<UnreadCountQuery, UnreadCountQueryVariables>;
export const MarkNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkNotificationsRead($ids: [ID!]!) {
  markNotificationsRead(ids: $ids) {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  cursor
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
    ... on Project {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const MarkAllNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkAllNotificationsRead {
  markAllNotificationsRead
}
    `) as unknown as TypedDocumentString<MarkAllNotificationsReadMutation, MarkAllNotificationsReadMutationVariables>;
export const NotificationAddedDocument = new TypedDocumentString(`
    subscription NotificationAdded($since: String) {
  notificationAdded(since: $since) {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  cursor
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
    ... on Project {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<NotificationAddedSubscription, NotificationAddedSubscriptionVariables>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys {
  apiKeys {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  scopes
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($name: String!, $scopes: [ApiKeyScope!]!) {
  createApiKey(name: $name, scopes: $scopes) {
    secret
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  scopes
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  scopes
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($email: String!, $name: String!, $password: String!) {
  signUp(email: $email, name: $name, password: $password) {
    token
    expiresAt
    user {
      ...UserFields
    }
  }
}
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}`) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    expiresAt
    user {
      ...UserFields
    }
  }
}
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}`) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const OrganizationDocument = new TypedDocumentString(`
    query Organization($id: ID!) {
  organization(id: $id) {
    ...OrganizationFields
  }
}
    fragment OrganizationFields on Organization {
  id
  name
  createdAt
}`) as unknown as TypedDocumentString<OrganizationQuery, OrganizationQueryVariables>;
export const OrganizationMembersDocument = new TypedDocumentString(`
    query OrganizationMembers($id: ID!, $first: Int, $after: String) {
  organization(id: $id) {
    id
    members(first: $first, after: $after) {
      edges {
        cursor
        node {
          role
          joinedAt
          user {
            ...UserFields
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
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}`) as unknown as TypedDocumentString<OrganizationMembersQuery, OrganizationMembersQueryVariables>;
export const CreateOrganizationDocument = new TypedDocumentString(`
    mutation CreateOrganization($name: String!) {
  createOrganization(name: $name) {
    ...OrganizationFields
  }
}
    fragment OrganizationFields on Organization {
  id
  name
  createdAt
}`) as unknown as TypedDocumentString<CreateOrganizationMutation, CreateOrganizationMutationVariables>;
export const AddOrganizationMemberDocument = new TypedDocumentString(`
    mutation AddOrganizationMember($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {
  addOrganizationMember(
    organizationId: $organizationId
    userId: $userId
    role: $role
  ) {
    role
    joinedAt
    organization {
      ...OrganizationFields
    }
    user {
      ...UserFields
    }
  }
}
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}
fragment OrganizationFields on Organization {
  id
  name
  createdAt
}`) as unknown as TypedDocumentString<AddOrganizationMemberMutation, AddOrganizationMemberMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...UserFields
    memberships {
      role
      joinedAt
      organization {
        ...OrganizationFields
      }
    }
  }
}
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}
fragment OrganizationFields on Organization {
  id
  name
  createdAt
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const UserDocument = new TypedDocumentString(`
    query User($id: ID!) {
  user(id: $id) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}`) as unknown as TypedDocumentString<UserQuery, UserQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges {
      cursor
      node {
        ...UserFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment UserFields on User {
  id
  email
  name
  role
  createdAt
}`) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;