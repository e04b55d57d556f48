import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Admin, Consumer } from 'kafkajs';
import { ALL_EVENT_TOPICS, DEAD_LETTER_TOPIC, topicFor, toKafkaMessage } from '@platform/events';
import { eventually, uniqueName, userPrincipal } from '@platform/testing';
import {
  documentCreated,
  documentUpdated,
  startPublisher,
  testKafka,
  type Publisher,
} from './events.js';
import {
  ROLLUP_TIMEOUT_MS,
  eventuallyEqual,
  startTestAnalytics,
  type TestAnalytics,
} from './harness.js';

/**
 * At-least-once delivery over the real Kafka topics: duplicates, a consumer group rewound to the
 * beginning, and messages that are not events. The subgraph starts no consumer of its own; each
 * test starts consumers in a group of its own.
 */
const kafka = testKafka();
let api: TestAnalytics;
let publisher: Publisher;
let admin: Admin;

beforeAll(async () => {
  api = await startTestAnalytics({ consume: false });
  publisher = await startPublisher(kafka);
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await publisher?.stop();
  await api?.stop();
});

const PROJECT_STATS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Project { stats { documents edits } } }
}`;

async function statsOf(projectId: string) {
  const result = await api.graphql<{
    _entities: Array<{ stats: { documents: number; edits: number } }>;
  }>(
    PROJECT_STATS,
    { representations: [{ __typename: 'Project', id: projectId }] },
    userPrincipal(),
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data._entities[0]!.stats;
}

/** Waits until the handler has committed the event with this id. */
function processed(eventId: string) {
  return eventually(
    async () => {
      const { rowCount } = await api.subgraph.pool.query(
        'SELECT 1 FROM processed_events WHERE event_id = $1',
        [eventId],
      );
      return rowCount === 1 ? true : undefined;
    },
    { timeoutMs: ROLLUP_TIMEOUT_MS, what: `event ${eventId} to be processed` },
  );
}

const duplicates = () => api.metric('analytics_events_processed_total', { outcome: 'duplicate' });

describe('delivery', () => {
  it('counts an event published twice once', async () => {
    const consumer = await api.subgraph.startConsumer({ groupId: uniqueName('analytics-twice') });
    try {
      const projectId = randomUUID();
      const actorId = randomUUID();
      const documentId = randomUUID(); // one key: one partition, so the three stay in order
      const edit = documentUpdated({ projectId, actorId, documentId });
      const later = documentUpdated({ projectId, actorId, documentId });
      const duplicatesBefore = await duplicates();

      await publisher.publish(edit, edit, later);
      await processed(later.id);

      expect(await statsOf(projectId)).toEqual({ documents: 0, edits: 2 });
      expect(await duplicates()).toBeGreaterThanOrEqual(duplicatesBefore + 1);
    } finally {
      await consumer.stop();
    }
  }, 60_000);

  it('changes no count when its consumer group reads the topics again from the beginning', async () => {
    const groupId = uniqueName('analytics-replay');
    const projectId = randomUUID();
    const actorId = randomUUID();
    const documentId = randomUUID();
    const events = [
      documentCreated({ projectId, actorId, documentId }),
      documentUpdated({ projectId, actorId, documentId }),
      documentUpdated({ projectId, actorId, documentId }),
    ];

    const first = await api.subgraph.startConsumer({ groupId });
    try {
      await publisher.publish(...events);
      await processed(events[2]!.id);
    } finally {
      await first.stop();
    }
    expect(await statsOf(projectId)).toEqual({ documents: 1, edits: 2 });

    // Rewind the (now empty) group: its next consumer is handed every message again.
    for (const topic of ALL_EVENT_TOPICS)
      await admin.resetOffsets({ groupId, topic, earliest: true });
    const duplicatesBefore = await duplicates();
    // Same key, so it follows the three on their partition: once it is in, they were re-read.
    const sentinel = documentUpdated({ projectId, actorId, documentId });
    await publisher.publish(sentinel);

    const second = await api.subgraph.startConsumer({ groupId });
    try {
      await processed(sentinel.id);
    } finally {
      await second.stop();
    }
    expect(await statsOf(projectId)).toEqual({ documents: 1, edits: 3 });
    expect(await duplicates()).toBeGreaterThanOrEqual(duplicatesBefore + events.length);
  }, 90_000);

  it('sends messages that are not valid events to the dead-letter topic and goes on', async () => {
    const groupId = uniqueName('analytics-poison');
    const marker = uniqueName('poison');
    const projectId = randomUUID();
    const documentId = randomUUID();
    const good = documentCreated({ projectId, actorId: randomUUID(), documentId });
    const { message } = toKafkaMessage(good);
    // Valid JSON in the envelope, but its data lacks projectId.
    const invalidData = JSON.stringify({
      ...good,
      id: randomUUID(),
      data: { title: marker, version: 1, memberIds: [] },
    });

    // Other consumer groups (other subgraphs' tests) dead-letter the same messages: keep ours.
    const deadLetters: string[] = [];
    const reader: Consumer = kafka.consumer({ groupId: uniqueName('analytics-dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message: dead }) => {
        const group = String(dead.headers?.['dead-letter-consumer-group']);
        if (group !== groupId || !String(dead.value).includes(marker)) return;
        deadLetters.push(String(dead.headers?.['dead-letter-reason']));
      },
    });

    const consumer = await api.subgraph.startConsumer({ groupId });
    try {
      await publisher.publishRaw(
        topicFor('document'),
        { key: documentId, value: `not an event ${marker}` },
        { key: documentId, value: invalidData },
        message,
      );

      await eventuallyEqual(() => statsOf(projectId), { documents: 1, edits: 0 });
      await eventually(async () => (deadLetters.length >= 2 ? true : undefined), {
        timeoutMs: ROLLUP_TIMEOUT_MS,
        what: 'two dead letters',
      });
      expect(deadLetters).toEqual([
        'message is not JSON',
        expect.stringMatching(/^bad data for 'document.created'/),
      ]);
    } finally {
      await consumer.stop();
      await reader.disconnect();
    }
  }, 90_000);
});
