import { expect } from '@jest/globals';
import { createEvent } from '@platform/events';
import { uniqueName } from '@platform/testing';
import { cursorOf } from '../src/domain/cursor.js';

/** Events as the data subgraph emits them; every id is unique to the calling test. */

export function documentEvent(
  type: 'document.created' | 'document.updated' | 'document.deleted',
  init: { actorId: string | null; memberIds: string[]; title?: string; documentId?: string },
) {
  const subject = { type: 'Document', id: init.documentId ?? uniqueName('doc') };
  const actor = init.actorId ? { userId: init.actorId } : null;
  const common = {
    projectId: uniqueName('project'),
    title: init.title ?? 'Plan',
    memberIds: init.memberIds,
  };
  switch (type) {
    case 'document.created':
      return createEvent(type, { actor, subject, data: { ...common, version: 1 } });
    case 'document.updated':
      return createEvent(type, {
        actor,
        subject,
        data: { ...common, version: 2, changedFields: ['title'] },
      });
    case 'document.deleted':
      return createEvent(type, { actor, subject, data: common });
  }
}

export function memberAdded(init: {
  actorId: string | null;
  userId: string;
  memberIds?: string[];
  name?: string;
  projectId?: string;
}) {
  return createEvent('project.member_added', {
    actor: init.actorId ? { userId: init.actorId } : null,
    subject: { type: 'Project', id: init.projectId ?? uniqueName('project') },
    data: {
      name: init.name ?? 'Roadmap',
      userId: init.userId,
      memberIds: init.memberIds ?? [init.userId],
    },
  });
}

/**
 * A published message about notification `id`: its id and cursor, the notification itself, and
 * the time of the event behind it (for the gateway's delivery latency).
 */
export const publishedAs = (id: string) => ({
  notificationId: id,
  cursor: cursorOf(id),
  notification: expect.objectContaining({ id, cursor: cursorOf(id), read: false }),
  occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
});
