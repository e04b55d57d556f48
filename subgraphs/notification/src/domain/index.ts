import type { NotificationRepository } from '../repositories/notifications.js';
import { notificationService, type NotificationService } from './notifications.js';

/** The notification subgraph's operations; resolvers call these and nothing else. */
export interface Domain {
  notifications: NotificationService;
}

export function createDomain(notifications: NotificationRepository): Domain {
  return { notifications: notificationService(notifications) };
}
