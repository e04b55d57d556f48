import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { startPrivateKafka, startPrivateRedis, type PrivateService } from './index.js';

const started: PrivateService[] = [];
afterAll(async () => {
  for (const service of started) await service.dispose();
});

describe('private services for tests that stop them', () => {
  it('runs a Redis of its own that stops and comes back', async () => {
    const redis = await startPrivateRedis();
    started.push(redis);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    expect(await client.ping()).toBe('PONG');
    client.disconnect();

    await redis.stop();
    const down = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => null });
    await expect(down.connect()).rejects.toThrow();
    down.disconnect();

    await redis.start();
    const again = new Redis(redis.url);
    expect(await again.ping()).toBe('PONG');

    redis.freeze();
    const unanswered = await Promise.race([
      again.ping(),
      new Promise((resolve) => setTimeout(() => resolve('no answer'), 300)),
    ]);
    expect(unanswered).toBe('no answer');
    redis.thaw();
    expect(await again.ping()).toBe('PONG');
    again.disconnect();
  });

  it('runs a Kafka broker of its own that keeps its topics across a restart', async () => {
    const kafka = await startPrivateKafka();
    started.push(kafka);
    const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept' }], waitForLeaders: true });
    await admin.disconnect();

    await kafka.stop();
    await kafka.start();
    const again = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await again.connect();
    expect(await again.listTopics()).toContain('kept');
    await again.disconnect();
  });
});
