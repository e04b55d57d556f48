import { afterAll, describe, expect, it } from '@jest/globals';
import type { Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { createLogger } from '@platform/logger';
import {
  createTestDatabase,
  createTestTopic,
  eventually,
  recordTopicFromNow,
  stackEndpoints,
  testPool,
  uniqueName,
} from '@platform/testing';
import {
  createEvent,
  createKafka,
  DEAD_LETTER_TOPIC,
  ensureEventTopics,
  startEventConsumer,
  toKafkaMessage,
  type AnyEventEnvelope,
} from './index.js';

const logger = createLogger('events-test', { level: 'silent' });
const kafka: Kafka = createKafka('batch-consumer-test', stackEndpoints().kafka.brokers, logger);
const cleanups: Array<() => Promise<void>> = [];
const KAFKA_TEST_TIMEOUT = 90_000;

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const named = (name: string) =>
  createEvent('project.created', {
    actor: { userId: 'u1' },
    subject: { type: 'Project', id: 'one-key' },
    data: { name, ownerId: 'u1', memberIds: ['u1'] },
  });

const nameOf = (event: AnyEventEnvelope) =>
  event.type === 'project.created' ? event.data.name : '';

async function producer(): Promise<Producer> {
  const connected = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await connected.connect();
  cleanups.push(() => connected.disconnect());
  return connected;
}

/** A one-partition topic of this test's own, so the order of its messages is the offset order. */
async function ownTopic(): Promise<string> {
  const created = await createTestTopic(kafka, 1);
  cleanups.push(() => created.delete());
  return created.topic;
}

async function committedOffset(groupId: string, topic: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry?.partitions.find(({ partition }) => partition === 0)?.offset;
  } finally {
    await admin.disconnect();
  }
}

describe('a batch consumer', () => {
  it(
    'retries a failing batch from its first uncommitted offset; committed batches are not repeated and every effect is stored once',
    async () => {
      const topic = await ownTopic();
      const database = await createTestDatabase('batch_consumer');
      const pool = testPool(database.url);
      cleanups.push(async () => {
        await pool.end();
        await database.drop();
      });
      await pool.query('CREATE TABLE handled (position serial PRIMARY KEY, name text NOT NULL)');
      const events = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7'].map(named);
      await (
        await producer()
      ).send({ topic, messages: events.map((event) => toKafkaMessage(event).message) });

      const calls: Array<{ names: string[]; failed: boolean }> = [];
      let failedOnce = false;
      const groupId = uniqueName('batch-retry');
      const consumer = await startEventConsumer({
        kafka,
        groupId,
        logger,
        topics: [topic],
        maxBatchSize: 2,
        handleBatch: async (batch) => {
          const names = batch.map(nameOf);
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('INSERT INTO handled (name) SELECT unnest($1::text[])', [names]);
            if (!failedOnce && names.includes('e4')) {
              failedOnce = true;
              calls.push({ names, failed: true });
              throw new Error('the store failed mid-batch');
            }
            await client.query('COMMIT');
            calls.push({ names, failed: false });
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          } finally {
            client.release();
          }
        },
      });
      cleanups.push(() => consumer.stop());

      await eventually(
        async () => ((await committedOffset(groupId, topic)) === '7' ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      );

      const failedAt = calls.findIndex((call) => call.failed);
      expect(failedAt).toBeGreaterThan(0);
      const failed = calls[failedAt]!;
      // The next call starts where the failed one started: its first message was the first
      // uncommitted offset. Nothing committed before it is handed over again.
      expect(calls[failedAt + 1]!.names[0]).toBe(failed.names[0]);
      const before = calls.slice(0, failedAt).flatMap((call) => call.names);
      const after = calls.slice(failedAt + 1).flatMap((call) => call.names);
      expect([...before, ...after]).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
      expect(calls.every((call) => call.names.length <= 2)).toBe(true);
      const { rows } = await pool.query<{ name: string }>(
        'SELECT name FROM handled ORDER BY position',
      );
      expect(rows.map((row) => row.name)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    },
    KAFKA_TEST_TIMEOUT,
  );

  it(
    'sends an invalid message in a batch to the dead-letter topic and hands over the rest of the batch in order',
    async () => {
      await ensureEventTopics(kafka);
      const topic = await ownTopic();
      const deadLetters = await recordTopicFromNow(kafka, DEAD_LETTER_TOPIC);
      cleanups.push(() => deadLetters.stop());
      const marker = uniqueName('poison');
      const [first, second, third] = ['first', 'second', 'third'].map(named);
      await (
        await producer()
      ).send({
        topic,
        messages: [
          toKafkaMessage(first!).message,
          { key: 'one-key', value: `not json ${marker}` },
          toKafkaMessage(second!).message,
          { key: 'one-key', value: JSON.stringify({ ...third, type: 'no.such.type' }) },
          toKafkaMessage(third!).message,
        ],
      });

      const batches: string[][] = [];
      const groupId = uniqueName('batch-dlq');
      const consumer = await startEventConsumer({
        kafka,
        groupId,
        logger,
        topics: [topic],
        handleBatch: async (batch, { heartbeat }) => {
          await heartbeat();
          batches.push(batch.map(nameOf));
        },
      });
      cleanups.push(() => consumer.stop());

      await eventually(
        async () => ((await committedOffset(groupId, topic)) === '5' ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      );
      expect(batches.flat()).toEqual(['first', 'second', 'third']);
      const ours = await eventually(() => {
        const found = deadLetters.messages.filter(
          (message) => message.headers?.['dead-letter-consumer-group']?.toString() === groupId,
        );
        return found.length === 2 ? found : undefined;
      });
      expect(
        ours.map((message) => ({
          offset: String(message.headers?.['source-offset']),
          topic: String(message.headers?.['source-topic']),
          value: String(message.value),
        })),
      ).toEqual([
        { offset: '1', topic, value: `not json ${marker}` },
        { offset: '3', topic, value: expect.stringContaining('no.such.type') },
      ]);
      expect(String(ours[0]!.headers?.['dead-letter-reason'])).toBe('message is not JSON');
    },
    KAFKA_TEST_TIMEOUT,
  );
});
