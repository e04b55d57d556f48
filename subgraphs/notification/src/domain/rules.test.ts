import { describe, expect, it } from '@jest/globals';
import { createEvent } from '@platform/events';
import { notificationsFor } from './rules.js';
import { documentEvent, memberAdded } from '../../test/fixtures.js';

describe('notification rules', () => {
  it('tells the other members of the project about a document update, not its author', () => {
    const event = documentEvent('document.updated', {
      actorId: 'ana',
      memberIds: ['ana', 'bo', 'cy'],
      title: 'Plan',
    });
    expect(notificationsFor(event)).toEqual([
      {
        recipientId: 'bo',
        kind: 'DOCUMENT_UPDATED',
        message: 'Document "Plan" was updated',
        actorId: 'ana',
        subject: { type: 'Document', id: event.subject.id },
      },
      expect.objectContaining({ recipientId: 'cy', kind: 'DOCUMENT_UPDATED' }),
    ]);
  });

  it('tells no one about each document deleted with its project', () => {
    const event = createEvent('document.deleted', {
      actor: { userId: 'ana' },
      subject: { type: 'Document', id: 'doc-1' },
      data: { projectId: 'p1', title: 'Plan', memberIds: ['ana', 'bo'], withProject: true },
    });
    expect(notificationsFor(event)).toEqual([]);
  });

  it('names the kind of change for created and deleted documents', () => {
    const created = documentEvent('document.created', { actorId: 'ana', memberIds: ['bo'] });
    const deleted = documentEvent('document.deleted', { actorId: 'ana', memberIds: ['bo'] });
    expect(notificationsFor(created)).toEqual([
      expect.objectContaining({ kind: 'DOCUMENT_CREATED', message: 'Document "Plan" was created' }),
    ]);
    expect(notificationsFor(deleted)).toEqual([
      expect.objectContaining({ kind: 'DOCUMENT_DELETED', message: 'Document "Plan" was deleted' }),
    ]);
  });

  it('notifies every member once when no person caused the change', () => {
    const event = documentEvent('document.updated', {
      actorId: null,
      memberIds: ['bo', 'cy', 'bo'],
    });
    expect(notificationsFor(event).map((draft) => [draft.recipientId, draft.actorId])).toEqual([
      ['bo', null],
      ['cy', null],
    ]);
  });

  it('notifies nobody when the author is the only member', () => {
    expect(
      notificationsFor(documentEvent('document.updated', { actorId: 'ana', memberIds: ['ana'] })),
    ).toEqual([]);
  });

  it('tells a new project member they were added', () => {
    const event = memberAdded({ actorId: 'ana', userId: 'bo', name: 'Roadmap' });
    expect(notificationsFor(event)).toEqual([
      {
        recipientId: 'bo',
        kind: 'PROJECT_MEMBER_ADDED',
        message: 'You were added to project "Roadmap"',
        actorId: 'ana',
        subject: { type: 'Project', id: event.subject.id },
      },
    ]);
  });

  it('does not notify a member who added themselves', () => {
    expect(notificationsFor(memberAdded({ actorId: 'bo', userId: 'bo' }))).toEqual([]);
  });

  it('shortens a very long title in the message', () => {
    const event = documentEvent('document.updated', {
      actorId: 'ana',
      memberIds: ['bo'],
      title: 'x'.repeat(1000),
    });
    expect(notificationsFor(event)[0]!.message.length).toBeLessThan(160);
  });

  it('produces nothing for the events it does not notify about', () => {
    const signedUp = createEvent('user.signed_up', {
      actor: { userId: 'bo' },
      subject: { type: 'User', id: 'bo' },
      data: { email: 'bo@example.com', name: 'Bo' },
    });
    const projectCreated = createEvent('project.created', {
      actor: { userId: 'bo' },
      subject: { type: 'Project', id: 'p1' },
      data: { name: 'P', ownerId: 'bo', memberIds: ['bo', 'cy'] },
    });
    expect(notificationsFor(signedUp)).toEqual([]);
    expect(notificationsFor(projectCreated)).toEqual([]);
  });
});
