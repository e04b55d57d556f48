import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName } from './index.js';

/** A Kafka topic of one test's own: nobody else's consumer replays what the test produces there. */
export interface TestTopic {
  topic: string;
  /** Deletes the topic (and with it the test's messages). */
  delete(): Promise<void>;
}

export async function createTestTopic(kafka: Kafka, partitions = 1): Promise<TestTopic> {
  const topic = uniqueName('test.topic');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions }],
    });
  } finally {
    await admin.disconnect();
  }
  return {
    topic,
    async delete() {
      const cleaner = kafka.admin();
      await cleaner.connect();
      try {
        await cleaner.deleteTopics({ topics: [topic] });
      } finally {
        await cleaner.disconnect();
      }
    },
  };
}

/** Records the messages a shared topic gets from now on (the dead-letter topic, say). */
export interface TopicRecorder {
  messages: KafkaMessage[];
  stop(): Promise<void>;
}

/**
 * Starts reading `topic` at its current end, without replaying its history: the reader's group
 * is new and its offsets are set to the topic's high watermarks before it joins.
 */
export async function recordTopicFromNow(kafka: Kafka, topic: string): Promise<TopicRecorder> {
  const groupId = uniqueName('topic-recorder');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
  } finally {
    await admin.disconnect();
  }
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({
    eachMessage: async ({ message }) => {
      messages.push(message);
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
