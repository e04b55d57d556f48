import type { Kafka } from 'kafkajs';
import { ALL_EVENT_TOPICS, DEAD_LETTER_TOPIC } from './topics.js';

const PARTITIONS = 3;

/** Creates the event topics and the dead-letter topic when missing (idempotent). */
export async function ensureEventTopics(kafka: Kafka, replicationFactor = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...ALL_EVENT_TOPICS, DEAD_LETTER_TOPIC].filter(
      (topic) => !existing.has(topic),
    );
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor })),
    });
  } finally {
    await admin.disconnect();
  }
}
