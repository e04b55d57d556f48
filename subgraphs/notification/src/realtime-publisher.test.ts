import { describe, expect, it } from '@jest/globals';
import { decodeLiveMessage, encodeNotificationMessage } from '@platform/realtime';
import { notificationMessage } from './realtime-publisher.js';
import type { Notification } from './repositories/notifications.js';

const row: Notification = {
  id: '42',
  recipientId: 'u-alice',
  kind: 'DOCUMENT_UPDATED',
  message: 'Document "Plan" was updated',
  actorId: 'u-bob',
  subjectType: 'Document',
  subjectId: 'd-1',
  readAt: null,
  createdAt: new Date('2026-12-04T04:00:00.000Z'),
};

describe('what is published for a stored notification', () => {
  it('is the notification as the Notification resolvers answer it, under its id and cursor', () => {
    const message = notificationMessage(row);
    expect(message).toEqual({
      notificationId: '42',
      cursor: '00000000000000000042',
      notification: {
        id: '42',
        cursor: '00000000000000000042',
        kind: 'DOCUMENT_UPDATED',
        message: 'Document "Plan" was updated',
        read: false,
        createdAt: '2026-12-04T04:00:00.000Z',
        actor: { __typename: 'User', id: 'u-bob' },
        subject: { __typename: 'Document', id: 'd-1' },
      },
    });
    // What a gateway reads from the channel carries it whole.
    expect(decodeLiveMessage(encodeNotificationMessage(message))?.entity).toEqual(
      message.notification,
    );
  });

  it('says read once read, and no actor for a notification nobody caused', () => {
    const { notification } = notificationMessage({
      ...row,
      actorId: null,
      readAt: new Date('2026-12-04T05:00:00.000Z'),
      subjectType: 'Project',
      subjectId: 'p-1',
    });
    expect(notification).toMatchObject({
      read: true,
      actor: null,
      subject: { __typename: 'Project', id: 'p-1' },
    });
  });
});
