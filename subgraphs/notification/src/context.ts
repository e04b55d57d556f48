import type { RequestContext } from '@platform/subgraph-server';
import type { Domain } from './domain/index.js';
import type { Loaders } from './loaders.js';

/** What the notification subgraph adds to every request's context. */
export interface NotificationContextExtra {
  /** Shared by every request. */
  domain: Domain;
  /** Fresh for every request. */
  loaders: Loaders;
}

export type NotificationContext = RequestContext & NotificationContextExtra;
