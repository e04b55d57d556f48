import { afterAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { stackEndpoints, uniqueName } from '@platform/testing';

describe('stack Kafka', () => {
  const kafka = new Kafka({
    clientId: 'smoke',
    brokers: stackEndpoints().kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const groupId = uniqueName('smoke-group');
  const consumer = kafka.consumer({ groupId });

  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect(), consumer.disconnect()]);
  });

  it('creates a topic, produces keyed messages and consumes them in a group with committed offsets', async () => {
    const topic = uniqueName('smoke-topic');
    await admin.connect();
    expect(
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
    ).toBe(true);

    await producer.connect();
    await producer.send({
      topic,
      messages: ['one', 'two', 'three'].map((value) => ({ key: `key-${value}`, value })),
    });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Array<{ key: string; value: string }> = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message, partition }) => {
            received.push({ key: String(message.key), value: String(message.value) });
            await consumer.commitOffsets([
              { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
            ]);
            if (received.length === 3) resolve();
          },
        })
        .catch(reject);
    });

    expect(received).toEqual([
      { key: 'key-one', value: 'one' },
      { key: 'key-two', value: 'two' },
      { key: 'key-three', value: 'three' },
    ]);
    await consumer.stop();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '3' })]);
  });
});
