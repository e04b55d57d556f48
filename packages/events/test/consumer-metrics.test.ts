import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Partitioners, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { createLogger } from '@platform/logger';
import {
  createTestTopic,
  eventually,
  parsePrometheusText,
  stackEndpoints,
  sumOf,
  uniqueName,
  type TestTopic,
} from '@platform/testing';
import {
  createEvent,
  createKafka,
  startEventConsumer,
  toKafkaMessage,
  type EventConsumer,
} from '../src/index.js';

/**
 * A consumer given a registry serves its group's lag per partition, as Kafka sees it (committed
 * offsets against the high watermark), and counts what it sends to the dead-letter topic.
 */
const logger = createLogger('consumer-metrics-test', { level: 'silent' });
const kafka = createKafka('consumer-metrics-test', stackEndpoints().kafka.brokers, logger);
let topic: TestTopic;
let producer: Producer;
let consumer: EventConsumer | undefined;

beforeAll(async () => {
  topic = await createTestTopic(kafka, 2);
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
}, 30_000);

afterAll(async () => {
  await consumer?.stop();
  await producer?.disconnect();
  await topic?.delete();
});

const documentDeleted = () =>
  createEvent('document.deleted', {
    actor: { userId: 'u-a' },
    subject: { type: 'Document', id: uniqueName('doc') },
    data: { projectId: 'p1', title: 'Gone', memberIds: ['u-a'] },
  });

async function scrape(registry: Registry) {
  return parsePrometheusText(await registry.metrics());
}

describe('consumer metrics', () => {
  it("serve the group's lag per partition while it is behind and after it caught up, and count dead letters", async () => {
    const registry = new Registry();
    const groupId = uniqueName('consumer-metrics');
    const partition = 1;
    for (let i = 0; i < 5; i++) {
      await producer.send({
        topic: topic.topic,
        messages: [{ ...toKafkaMessage(documentDeleted()).message, partition }],
      });
    }
    await producer.send({
      topic: topic.topic,
      messages: [{ key: 'poison', value: 'not an event', partition }],
    });

    // A handler that holds the first event until released: the group is 6 behind meanwhile.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    consumer = await startEventConsumer({
      kafka,
      groupId,
      logger,
      topics: [topic.topic],
      metrics: registry,
      handle: async () => {
        if (handled++ === 0) await held;
      },
    });
    const lag = (samples: Awaited<ReturnType<typeof scrape>>, at: number) =>
      sumOf(samples, 'events_consumer_lag_messages', {
        group: groupId,
        topic: topic.topic,
        partition: String(at),
      });

    await eventually(async () => (handled > 0 ? true : undefined), { what: 'the first event' });
    // A scrape waits at most 2 s for Kafka (then serves the last reading): on a busy machine the
    // first one, which connects the admin client, may not get an answer in time.
    const behind = await eventually(
      async () => {
        const samples = await scrape(registry);
        return lag(samples, partition) === 6 ? samples : undefined;
      },
      { what: 'a lag of 6 while the first event is held' },
    );
    expect(lag(behind, 0)).toBe(0);
    expect(
      behind
        .filter((sample) => sample.name === 'events_consumer_lag_messages')
        .map((s) => s.labels),
    ).toEqual(
      expect.arrayContaining([
        { group: groupId, topic: topic.topic, partition: String(partition) },
      ]),
    );

    release();
    const caughtUp = await eventually(
      async () => {
        const samples = await scrape(registry);
        return lag(samples, partition) === 0 ? samples : undefined;
      },
      { what: 'the lag back to 0' },
    );
    expect(
      sumOf(caughtUp, 'events_dead_letters_total', { group: groupId, topic: topic.topic }),
    ).toBe(1);

    // A stopped consumer's group leaves the scrape.
    await consumer.stop();
    consumer = undefined;
    const after = await scrape(registry);
    expect(
      after.filter(
        (sample) =>
          sample.labels.group === groupId && sample.name === 'events_consumer_lag_messages',
      ),
    ).toEqual([]);
  }, 60_000);
});
