import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Consumer } from 'kafkajs';
import { DEAD_LETTER_TOPIC, toKafkaMessage, topicFor } from '@platform/events';
import { createTestTopic, eventually, uniqueName, userPrincipal } from '@platform/testing';
import { startNotificationConsumer, type NotificationConsumer } from '../src/index.js';
import { documentEvent, memberAdded, publishedAs } from './fixtures.js';
import {
  connectProducer,
  listenToRecipients,
  logger,
  newUserId,
  startTestSubgraph,
  type ChannelListener,
  type EventProducer,
  type TestSubgraph,
} from './harness.js';

// A consumer group joins and reads the shared topics from their beginning: allow for it.
const KAFKA_TEST_TIMEOUT = 90_000;

let api: TestSubgraph;
let producer: EventProducer;
let consumer: NotificationConsumer;
let deadLetterReader: Consumer;
const deadLetters: Array<{ value: string; reason: string; group: string }> = [];
const listeners: ChannelListener[] = [];

const startConsumer = () =>
  startNotificationConsumer(api.config, logger, {
    pool: api.subgraph.pool,
    metrics: api.subgraph.metrics,
  });

beforeAll(async () => {
  api = await startTestSubgraph({ consume: false });
  producer = await connectProducer();
  consumer = await startConsumer();
  deadLetterReader = producer.kafka.consumer({ groupId: uniqueName('notification-dlq-reader') });
  await deadLetterReader.connect();
  await deadLetterReader.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
  await deadLetterReader.run({
    eachMessage: async ({ message }) => {
      deadLetters.push({
        value: String(message.value),
        reason: String(message.headers?.['dead-letter-reason']),
        group: String(message.headers?.['dead-letter-consumer-group']),
      });
    },
  });
}, KAFKA_TEST_TIMEOUT);

afterAll(async () => {
  for (const listener of listeners) await listener.close();
  await consumer?.stop();
  await deadLetterReader?.disconnect();
  await producer?.disconnect();
  await api?.stop();
});

async function listen(recipientIds: string[]) {
  const listener = await listenToRecipients(recipientIds);
  listeners.push(listener);
  return listener;
}

/** This subgraph's stored, published rows of one event, once there are `count` of them. */
async function publishedRows(eventId: string, recipientIds: string[], count: number) {
  return eventually(
    async () => {
      const rows = (await api.rowsOf(recipientIds)).filter((row) => row.eventId === eventId);
      return rows.length === count && rows.every((row) => row.published) ? rows : undefined;
    },
    { timeoutMs: KAFKA_TEST_TIMEOUT },
  );
}

/** What a recipient received from this subgraph (others' consumers publish on the same channels). */
async function ownMessages(listener: ChannelListener, recipientId: string, untilId: string) {
  const ids = new Set((await api.rowsOf([recipientId])).map((row) => row.id));
  return eventually(() => {
    const own = listener.messagesOf(recipientId).filter((m) => ids.has(m.notificationId));
    return own.some((m) => m.notificationId === untilId) ? own : undefined;
  });
}

describe('the notification consumer', () => {
  it(
    'notifies the other members about a document.updated, not the actor; stored, then published with increasing cursors',
    async () => {
      const [actor, bo, cy] = [newUserId(), newUserId(), newUserId()];
      const listener = await listen([actor, bo, cy]);
      const documentId = uniqueName('doc');
      const first = documentEvent('document.updated', {
        actorId: actor,
        memberIds: [actor, bo, cy],
        documentId,
        title: 'Plan',
      });
      const second = documentEvent('document.updated', {
        actorId: actor,
        memberIds: [actor, bo, cy],
        documentId,
        title: 'Plan v2',
      });

      await producer.send(first);
      await producer.send(second);

      const firstRows = await publishedRows(first.id, [actor, bo, cy], 2);
      const secondRows = await publishedRows(second.id, [actor, bo, cy], 2);
      expect(firstRows.map((row) => row.recipientId).sort()).toEqual([bo, cy].sort());
      expect(secondRows.map((row) => row.recipientId).sort()).toEqual([bo, cy].sort());
      expect(await api.rowsOf([actor])).toEqual([]);

      for (const recipient of [bo, cy]) {
        const expected = [...firstRows, ...secondRows]
          .filter((row) => row.recipientId === recipient)
          .map((row) => publishedAs(row.id));
        const messages = await ownMessages(listener, recipient, expected[1]!.notificationId);
        expect(messages).toEqual(expected);
        expect(BigInt(messages[1]!.cursor)).toBeGreaterThan(BigInt(messages[0]!.cursor));
      }
      expect(listener.messagesOf(actor)).toEqual([]);

      const { data } = await api.graphql<{ notification: { message: string } }>(
        'query ($id: ID!) { notification(id: $id) { message } }',
        { id: secondRows.find((row) => row.recipientId === bo)!.id },
        userPrincipal(bo, { scopes: ['read'] }),
      );
      expect(data).toEqual({ notification: { message: 'Document "Plan v2" was updated' } });
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    'notifies the member added to a project',
    async () => {
      const [owner, newcomer] = [newUserId(), newUserId()];
      const listener = await listen([newcomer]);
      const event = memberAdded({ actorId: owner, userId: newcomer, memberIds: [owner, newcomer] });

      await producer.send(event);

      const [row] = await publishedRows(event.id, [owner, newcomer], 1);
      expect(row!.recipientId).toBe(newcomer);
      expect(await ownMessages(listener, newcomer, row!.id)).toEqual([publishedAs(row!.id)]);
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    'stores and publishes a redelivered event once',
    async () => {
      const [owner, newcomer] = [newUserId(), newUserId()];
      const listener = await listen([newcomer]);
      const projectId = uniqueName('project');
      const event = memberAdded({ actorId: owner, userId: newcomer, projectId });
      // Same key, so the same partition: handled after both copies.
      const later = memberAdded({ actorId: owner, userId: newcomer, projectId, name: 'later' });

      await producer.send(event);
      await producer.send(event);
      await producer.send(later);

      const [laterRow] = await publishedRows(later.id, [newcomer], 1);
      const rows = await api.rowsOf([newcomer]);
      expect(rows.filter((row) => row.eventId === event.id)).toHaveLength(1);
      const messages = await ownMessages(listener, newcomer, laterRow!.id);
      expect(messages.map((message) => message.notificationId)).toEqual(rows.map((row) => row.id));
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    'sends a poison message to the dead-letter topic and goes on with the next event',
    async () => {
      const [actor, bo] = [newUserId(), newUserId()];
      const documentId = uniqueName('doc');
      const marker = uniqueName('poison');
      const next = documentEvent('document.deleted', {
        actorId: actor,
        memberIds: [bo],
        documentId,
      });

      await producer.sendRaw(topicFor('document'), documentId, `not json ${marker}`);
      await producer.send(next);

      await publishedRows(next.id, [bo], 1);
      const deadLetter = await eventually(() =>
        deadLetters.find(
          (entry) => entry.value.includes(marker) && entry.group === api.config.KAFKA_GROUP_ID,
        ),
      );
      expect(deadLetter.reason).toBe('message is not JSON');
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    'resumes after a restart of just the consumer, missing and repeating nothing',
    async () => {
      const [actor, bo] = [newUserId(), newUserId()];
      const listener = await listen([bo]);
      const documentId = uniqueName('doc');
      const before = documentEvent('document.created', {
        actorId: actor,
        memberIds: [bo],
        documentId,
      });
      const whileDown = documentEvent('document.updated', {
        actorId: actor,
        memberIds: [bo],
        documentId,
      });

      await producer.send(before);
      await publishedRows(before.id, [bo], 1);
      await consumer.stop();
      await producer.send(whileDown);
      consumer = await startConsumer();

      const [row] = await publishedRows(whileDown.id, [bo], 1);
      const rows = await api.rowsOf([bo]);
      expect(rows.map((stored) => stored.eventId)).toEqual([before.id, whileDown.id]);
      const messages = await ownMessages(listener, bo, row!.id);
      expect(messages).toEqual(rows.map((stored) => publishedAs(stored.id)));
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    "keeps each recipient's order across a batch: events sent together are stored and published in event order",
    async () => {
      const actor = newUserId();
      const recipients = [newUserId(), newUserId(), newUserId()];
      const listener = await listen(recipients);
      const documentId = uniqueName('doc'); // one key: one partition, so one order
      const events = Array.from({ length: 60 }, (_, index) =>
        documentEvent('document.updated', {
          actorId: actor,
          memberIds: [actor, recipients[index % 3]!, ...(index % 10 === 0 ? recipients : [])],
          documentId,
          title: `edit ${index}`,
        }),
      );

      await producer.sendMany(events);

      const last = events.at(-1)!;
      await publishedRows(last.id, recipients, 1);
      for (const recipient of recipients) {
        const rows = (await api.rowsOf([recipient])).filter((row) =>
          events.some((event) => event.id === row.eventId),
        );
        const expected = events.filter((event) => notificationsOf(event).includes(recipient));
        expect(rows.map((row) => row.eventId)).toEqual(expected.map((event) => event.id));
        const messages = await ownMessages(listener, recipient, rows.at(-1)!.id);
        expect(messages).toEqual(rows.map((row) => publishedAs(row.id)));
      }
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    'delivers an event for 10,000 members through Kafka: a row and a message for every member',
    async () => {
      const own = await createTestTopic(producer.kafka, 1);
      const members = Array.from({ length: 10_000 }, (_, index) => `${newUserId()}-${index}`);
      const listener = await listen(members);
      const fanOut = await startNotificationConsumer(
        { ...api.config, KAFKA_GROUP_ID: uniqueName('notification-fan-out') },
        logger,
        { pool: api.subgraph.pool, metrics: api.subgraph.metrics, topics: [own.topic] },
      );
      try {
        const actor = newUserId();
        const event = documentEvent('document.created', {
          actorId: actor,
          memberIds: [actor, ...members],
        });
        await producer.sendRawMessage(own.topic, toKafkaMessage(event).message);

        const rows = await publishedRows(event.id, members, 10_000);
        expect(new Set(rows.map((row) => row.recipientId)).size).toBe(10_000);
        await eventually(
          () =>
            members.every((member) => listener.messagesOf(member).length === 1) ? true : undefined,
          { timeoutMs: KAFKA_TEST_TIMEOUT, what: 'a message for every member' },
        );
      } finally {
        await fanOut.stop();
        await own.delete();
      }
    },
    KAFKA_TEST_TIMEOUT * 2,
  );
});

/** Who an event of this file notifies: its members but the actor. */
function notificationsOf(event: ReturnType<typeof documentEvent>): string[] {
  return event.data.memberIds.filter((member) => member !== event.actor?.userId);
}
