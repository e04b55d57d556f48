import type { Repositories } from '../repositories/index.js';
import { notificationService, type NotificationService } from './notifications.js';

/** The notification subgraph's operations; resolvers call these and nothing else. */
export interface Domain {
  notifications: NotificationService;
}

export function createDomain(repositories: Repositories): Domain {
  return { notifications: notificationService(repositories.notifications) };
}
