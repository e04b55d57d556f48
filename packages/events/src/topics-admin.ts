import type { Kafka } from 'kafkajs';
import { ALL_EVENT_TOPICS, DEAD_LETTER_TOPIC } from './topics.js';

const PARTITIONS = 3;

/**
 * Creates the event topics and the dead-letter topic when missing (idempotent). Their replication
 * factor is the cluster's `default.replication.factor` unless given: 1 on the local stack's single
 * broker, and what a managed cluster demands (Confluent Cloud refuses anything but 3).
 */
export async function ensureEventTopics(kafka: Kafka, replicationFactor?: number): Promise<void> {
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
      topics: missing.map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        ...(replicationFactor !== undefined && { replicationFactor }),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
