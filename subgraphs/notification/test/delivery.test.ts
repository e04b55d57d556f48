import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { countedDatabase } from '@platform/postgres';
import { eventually, startPrivateRedis } from '@platform/testing';
import { notificationDelivery } from '../src/domain/delivery.js';
import { registerNotificationMetrics } from '../src/metrics.js';
import { redisNotificationPublisher } from '../src/realtime-publisher.js';
import { notificationRepository } from '../src/repositories/notifications.js';
import { documentEvent, memberAdded, publishedAs } from './fixtures.js';
import {
  listenToRecipients,
  logger,
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

    expect(await api.delivery.store([event])).toBe(2); // the first delivery stops here
    expect((await api.rowsOf([bo, cy])).map((row) => row.published)).toEqual([false, false]);
    await api.delivery.handle(event); // the redelivery

    const rows = await api.rowsOf([bo, cy]);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.published)).toBe(true);
    for (const row of rows) {
      expect(await received(row.recipientId, 1)).toEqual([publishedAs(row.id)]);
    }
    expect(await api.delivery.publishPending([event.id])).toBe(0);
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

  it('stores and publishes a batch of events in a handful of statements, each recipient in event order', async () => {
    const actor = newUserId();
    const recipients = [newUserId(), newUserId(), newUserId(), newUserId(), newUserId()];
    listener = await listenToRecipients(recipients);
    const events = Array.from({ length: 200 }, (_, index) =>
      documentEvent('document.updated', {
        actorId: actor,
        memberIds: [actor, recipients[index % recipients.length]!],
        title: `edit ${index}`,
      }),
    );
    const statementsBefore = await api.metric('notification_sql_queries_total');

    await api.delivery.handleBatch([...events, events[0]!]); // an event twice in one batch

    // One INSERT transaction (BEGIN, locks, INSERT, COMMIT), one read of the pending rows, one
    // mark: per event it was six statements and a PUBLISH round trip each.
    expect(
      (await api.metric('notification_sql_queries_total')) - statementsBefore,
    ).toBeLessThanOrEqual(8);
    const rows = await api.rowsOf(recipients);
    expect(rows).toHaveLength(200);
    expect(rows.every((row) => row.published)).toBe(true);
    for (const [position, recipient] of recipients.entries()) {
      const own = rows.filter((row) => row.recipientId === recipient);
      const inEventOrder = events.filter((_, index) => index % recipients.length === position);
      expect(own.map((row) => row.eventId)).toEqual(inEventOrder.map((event) => event.id));
      expect(await received(recipient, own.length)).toEqual(own.map((row) => publishedAs(row.id)));
    }
    await listener.close();
    listener = undefined;
  });

  it('delivers an event for 10,000 members: one row and one message each, stored in chunks', async () => {
    const actor = newUserId();
    const members = Array.from({ length: 10_000 }, (_, index) => `${newUserId()}-${index}`);
    listener = await listenToRecipients(members);
    const event = documentEvent('document.created', {
      actorId: actor,
      memberIds: [actor, ...members],
    });

    await api.delivery.handleBatch([event]);
    await api.delivery.handleBatch([event]); // redelivered: nothing new

    const rows = await api.rowsOf(members);
    expect(rows).toHaveLength(10_000);
    expect(new Set(rows.map((row) => row.recipientId)).size).toBe(10_000);
    expect(rows.every((row) => row.published && row.eventId === event.id)).toBe(true);
    await eventually(
      () =>
        members.every((member) => listener!.messagesOf(member).length === 1) ? true : undefined,
      { timeoutMs: 60_000, what: 'a message for every member' },
    );
    for (const row of rows) {
      expect(listener.messagesOf(row.recipientId)).toEqual([publishedAs(row.id)]);
    }
    await listener.close();
    listener = undefined;
  }, 120_000);

  it('rejects a batch whose pipeline Redis refuses, leaving its rows unpublished, and publishes them in order on the retry', async () => {
    const privateRedis = await startPrivateRedis();
    const redis = new Redis(privateRedis.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // refused connections while it is down, on purpose
    const metrics = registerNotificationMetrics(api.subgraph.metrics);
    const delivery = notificationDelivery({
      notifications: notificationRepository(countedDatabase(api.subgraph.pool, metrics.sqlQueries)),
      publisher: redisNotificationPublisher(redis),
      metrics,
      logger,
    });
    try {
      const [actor, bo] = [newUserId(), newUserId()];
      const events = ['one', 'two', 'three'].map((title) =>
        documentEvent('document.updated', { actorId: actor, memberIds: [actor, bo], title }),
      );
      await privateRedis.stop();

      await expect(delivery.handleBatch(events)).rejects.toThrow();
      const stored = await api.rowsOf([bo]);
      expect(stored.map((row) => row.eventId)).toEqual(events.map((event) => event.id));
      expect(stored.some((row) => row.published)).toBe(false);

      await privateRedis.start();
      listener = await listenToRecipients([bo], privateRedis.url);
      await delivery.handleBatch(events); // the consumer's retry of the same batch

      expect(await received(bo, 3)).toEqual(stored.map((row) => publishedAs(row.id)));
      expect((await api.rowsOf([bo])).every((row) => row.published)).toBe(true);
      await listener.close();
      listener = undefined;
    } finally {
      redis.disconnect();
      await privateRedis.dispose();
    }
  }, 60_000);
});
