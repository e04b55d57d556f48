import type { AnyEventEnvelope, EventEnvelope } from '@platform/events';
import type { NewNotification, NotificationKind } from '../repositories/notifications.js';

/**
 * Who is told what about an event: pure functions, no I/O. Events carry the actor's id, not a
 * name, so messages name the thing and clients select `actor { name }` for the person.
 */
export function notificationsFor(event: AnyEventEnvelope): NewNotification[] {
  switch (event.type) {
    case 'document.created':
      return toOtherMembers(
        event,
        'DOCUMENT_CREATED',
        `Document ${quoted(event.data.title)} was created`,
      );
    case 'document.updated':
      return toOtherMembers(
        event,
        'DOCUMENT_UPDATED',
        `Document ${quoted(event.data.title)} was updated`,
      );
    case 'document.deleted':
      // A project's deletion deletes its documents: one notice per document would flood members.
      if (event.data.withProject) return [];
      return toOtherMembers(
        event,
        'DOCUMENT_DELETED',
        `Document ${quoted(event.data.title)} was deleted`,
      );
    case 'project.member_added':
      return memberAdded(event);
    default:
      return [];
  }
}

type DocumentEvent = EventEnvelope<'document.created' | 'document.updated' | 'document.deleted'>;

/** Every member of the document's project except whoever made the change. */
function toOtherMembers(
  event: DocumentEvent,
  kind: NotificationKind,
  message: string,
): NewNotification[] {
  const actorId = event.actor?.userId ?? null;
  const recipients = new Set(event.data.memberIds);
  if (actorId) recipients.delete(actorId);
  return [...recipients].map((recipientId) => ({
    recipientId,
    kind,
    message,
    actorId,
    subject: { type: 'Document', id: event.subject.id },
  }));
}

/** The member who was added, unless they added themselves. */
function memberAdded(event: EventEnvelope<'project.member_added'>): NewNotification[] {
  const actorId = event.actor?.userId ?? null;
  if (event.data.userId === actorId) return [];
  return [
    {
      recipientId: event.data.userId,
      kind: 'PROJECT_MEMBER_ADDED',
      message: `You were added to project ${quoted(event.data.name)}`,
      actorId,
      subject: { type: 'Project', id: event.subject.id },
    },
  ];
}

const MAX_NAME_IN_MESSAGE = 120;

function quoted(name: string): string {
  const trimmed = name.trim();
  const short =
    trimmed.length > MAX_NAME_IN_MESSAGE
      ? `${trimmed.slice(0, MAX_NAME_IN_MESSAGE - 1)}…`
      : trimmed;
  return `"${short}"`;
}
