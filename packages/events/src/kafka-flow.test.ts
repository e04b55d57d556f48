import { afterAll, describe, expect, it } from '@jest/globals';
import type { Kafka } from 'kafkajs';
import { createLogger } from '@platform/logger';
import { stackEndpoints, uniqueName } from '@platform/testing';
import {
  createEvent,
  createKafka,
  DEAD_LETTER_TOPIC,
  ensureEventTopics,
  startEventConsumer,
  startOutboxRelay,
  topicFor,
  toKafkaMessage,
  type AnyEventEnvelope,
  type OutboxStore,
} from './index.js';

const logger = createLogger('events-test', { level: 'silent' });
const kafka: Kafka = createKafka('events-test', stackEndpoints().kafka.brokers, logger);
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const projectCreated = (name: string) =>
  createEvent('project.created', {
    actor: { userId: 'u1' },
    subject: { type: 'Project', id: uniqueName('p') },
    data: { name, ownerId: 'u1', memberIds: ['u1'] },
  });

async function waitFor<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('events over Kafka', () => {
  it('sends a poison message to the dead-letter topic with its reason and goes on', async () => {
    await ensureEventTopics(kafka);
    const marker = uniqueName('poison');
    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    const handled: AnyEventEnvelope[] = [];
    const first = projectCreated(`${marker}-first`);
    const second = projectCreated(`${marker}-second`);
    const topic = topicFor('project');
    await producer.send({ topic, messages: [toKafkaMessage(first).message] });
    await producer.send({ topic, messages: [{ key: marker, value: `not json ${marker}` }] });
    await producer.send({ topic, messages: [toKafkaMessage(second).message] });

    const deadLetters: Array<{ value: string; reason: string }> = [];
    const dlqConsumer = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        deadLetters.push({
          value: String(message.value),
          reason: String(message.headers?.['dead-letter-reason']),
        });
      },
    });
    cleanups.push(() => dlqConsumer.disconnect());

    const consumer = await startEventConsumer({
      kafka,
      groupId: uniqueName('flow'),
      logger,
      topics: [topic],
      handle: async (event) => {
        if (event.type === 'project.created' && event.data.name.startsWith(marker))
          handled.push(event);
      },
    });
    cleanups.push(() => consumer.stop());

    await waitFor(() => (handled.length === 2 ? true : undefined));
    expect(handled.map((event) => event.id).sort()).toEqual([first.id, second.id].sort());
    const dead = await waitFor(() => deadLetters.find((entry) => entry.value.includes(marker)));
    expect(dead.reason).toBe('message is not JSON');
  });

  it('publishes outbox events and marks them published only after Kafka accepted them', async () => {
    await ensureEventTopics(kafka);
    const marker = uniqueName('outbox');
    const events = [1, 2, 3].map((n) => projectCreated(`${marker}-${n}`));
    const unpublished = new Map(events.map((event) => [event.id, event]));
    // The relay's store is a port; this in-memory one keeps the test about the relay and Kafka.
    const store: OutboxStore = {
      pending: async (limit) =>
        [...unpublished.values()].slice(0, limit).map((event) => ({ outboxId: event.id, event })),
      markPublished: async (ids) => ids.forEach((id) => unpublished.delete(id)),
    };

    const received: string[] = [];
    const consumer = await startEventConsumer({
      kafka,
      groupId: uniqueName('outbox-reader'),
      logger,
      topics: [topicFor('project')],
      handle: async (event) => {
        if (event.type === 'project.created' && event.data.name.startsWith(marker))
          received.push(event.id);
      },
    });
    cleanups.push(() => consumer.stop());

    const relay = startOutboxRelay({ kafka, store, logger, pollIntervalMs: 100 });
    cleanups.push(() => relay.stop());

    await waitFor(() => (received.length === 3 ? true : undefined));
    expect(received.sort()).toEqual(events.map((event) => event.id).sort());
    expect(unpublished.size).toBe(0);
  });

  it('starts a new group at the present when told not to replay history', async () => {
    await ensureEventTopics(kafka);
    const marker = uniqueName('present');
    const producer = kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const topic = topicFor('project');
    const old = projectCreated(`${marker}-old`);
    await producer.send({ topic, messages: [toKafkaMessage(old).message] });

    const seen: string[] = [];
    const consumer = await startEventConsumer({
      kafka,
      groupId: uniqueName('present'),
      logger,
      topics: [topic],
      fromBeginning: false,
      handle: async (event) => {
        if (event.type === 'project.created' && event.data.name.startsWith(marker))
          seen.push(event.data.name);
      },
    });
    cleanups.push(() => consumer.stop());

    // Keep producing until the group has joined and reads the present; the old event never comes.
    const fresh = projectCreated(`${marker}-new`);
    let polls = 0;
    await waitFor(() => {
      if (polls++ % 10 === 0)
        void producer.send({ topic, messages: [toKafkaMessage(fresh).message] });
      return seen.length > 0 ? true : undefined;
    });
    expect(seen).not.toContain(`${marker}-old`);
    expect(seen[0]).toBe(`${marker}-new`);
  });
});
