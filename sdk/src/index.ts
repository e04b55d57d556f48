import { Client as BaseClient, type ClientOptions } from './client.js';
import { analyticsNamespace } from './namespaces/analytics.js';
import { dataNamespace } from './namespaces/data.js';
import { notificationsNamespace } from './namespaces/notifications.js';
import { usersNamespace } from './namespaces/users.js';

/**
 * The platform's typed client: `request`/`subscribe` for any typed document, and one namespace
 * per service with a method per generated operation.
 */
export class Client extends BaseClient {
  readonly users: ReturnType<typeof usersNamespace>;
  readonly data: ReturnType<typeof dataNamespace>;
  readonly analytics: ReturnType<typeof analyticsNamespace>;
  readonly notifications: ReturnType<typeof notificationsNamespace>;

  constructor(options: ClientOptions = {}, url?: string) {
    super(options, url);
    this.users = usersNamespace(this);
    this.data = dataNamespace(this);
    this.analytics = analyticsNamespace(this);
    this.notifications = notificationsNamespace(this);
  }
}

export {
  API_KEY_HEADER,
  DEFAULT_URL,
  backoffDelay,
  type ClientOptions,
  type ConnectionState,
  type Credentials,
  type RequestOptions,
  type RetryOptions,
  type Session,
} from './client.js';
export * from './errors.js';
export type { ResultOf, TypedDocument, VariablesOf } from './document.js';
export type {
  DocumentChange,
  LiveDocuments,
  LiveField,
  LiveNotifications,
  LiveOptions,
  LiveStream,
  Notification,
} from './live.js';
export { liveSubscription } from './live.js';
export type { Connection, Paginated } from './namespaces/pagination.js';
export * as operations from './generated/operations.js';
