import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@platform/testing';
import { cursorOf } from '../src/domain/cursor.js';
import { documentEvent, memberAdded } from './fixtures.js';
import {
  listenToRecipients,
  newUserId,
  startTestSubgraph,
  type ChannelListener,
  type TestSubgraph,
} from './harness.js';

let api: TestSubgraph;
let listener: ChannelListener | undefined;

beforeAll(async () => {
  api = await startTestSubgraph({ consume: false });
});

afterAll(async () => {
  await listener?.close();
  await api?.stop();
});

/** Waits until every expected message arrived, then returns all a recipient received. */
async function received(recipientId: string, expected: number) {
  return eventually(() => {
    const messages = listener!.messagesOf(recipientId);
    return messages.length >= expected ? messages : undefined;
  });
}

/** A published message about notification `id`: its id and cursor, and the notification itself. */
const publishedAs = (id: string) => ({
  notificationId: id,
  cursor: cursorOf(id),
  notification: expect.objectContaining({ id, cursor: cursorOf(id), read: false }),
});

describe('delivering an event', () => {
  it('stores one row per recipient and publishes each with its cursor', async () => {
    const [actor, bo, cy] = [newUserId(), newUserId(), newUserId()];
    listener = await listenToRecipients([actor, bo, cy]);
    const event = documentEvent('document.updated', { actorId: actor, memberIds: [actor, bo, cy] });

    await api.delivery.handle(event);

    const rows = await api.rowsOf([actor, bo, cy]);
    expect(rows.map((row) => row.recipientId).sort()).toEqual([bo, cy].sort());
    expect(rows.every((row) => row.published && row.eventId === event.id)).toBe(true);
    for (const row of rows) {
      expect(await received(row.recipientId, 1)).toEqual([publishedAs(row.id)]);
    }
    expect(listener.messagesOf(actor)).toEqual([]);
    await listener.close();
    listener = undefined;
  });

  it('handles the same event twice with one row and one publish', async () => {
    const [actor, bo] = [newUserId(), newUserId()];
    listener = await listenToRecipients([bo]);
    const event = memberAdded({ actorId: actor, userId: bo });
    const createdBefore = await api.metric('notification_created_total');
    const publishedBefore = await api.metric('notification_published_total');

    await api.delivery.handle(event);
    await api.delivery.handle(event);

    const rows = await api.rowsOf([bo]);
    expect(rows).toHaveLength(1);
    const [message] = await received(bo, 1);
    // The second handling published nothing: a marker published after it arrives alone.
    const marker = memberAdded({ actorId: actor, userId: bo });
    await api.delivery.handle(marker);
    const messages = await received(bo, 2);
    expect(messages).toHaveLength(2);
    expect(message).toEqual(publishedAs(rows[0]!.id));
    expect(await api.metric('notification_created_total')).toBe(createdBefore + 2);
    expect(await api.metric('notification_published_total')).toBe(publishedBefore + 2);
    await listener.close();
    listener = undefined;
  });

  it('after a crash between storing and publishing, the redelivery publishes what was stored, once', async () => {
    const [actor, bo, cy] = [newUserId(), newUserId(), newUserId()];
    listener = await listenToRecipients([bo, cy]);
    const event = documentEvent('document.created', { actorId: actor, memberIds: [actor, bo, cy] });

    expect(await api.delivery.store(event)).toBe(2); // the first delivery stops here
    expect((await api.rowsOf([bo, cy])).map((row) => row.published)).toEqual([false, false]);
    await api.delivery.handle(event); // the redelivery

    const rows = await api.rowsOf([bo, cy]);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.published)).toBe(true);
    for (const row of rows) {
      expect(await received(row.recipientId, 1)).toEqual([publishedAs(row.id)]);
    }
    expect(await api.delivery.publishPending(event.id)).toBe(0);
    await listener.close();
    listener = undefined;
  });

  it('gives one recipient increasing cursors, event after event', async () => {
    const [actor, bo] = [newUserId(), newUserId()];
    listener = await listenToRecipients([bo]);
    for (const title of ['one', 'two', 'three']) {
      await api.delivery.handle(
        documentEvent('document.updated', { actorId: actor, memberIds: [actor, bo], title }),
      );
    }
    const cursors = (await received(bo, 3)).map((message) => message.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(new Set(cursors).size).toBe(3);
    await listener.close();
    listener = undefined;
  });
});
