import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRedisConnection, type RedisConnection } from '@platform/redis';
import { decodeNotificationMessage, notificationChannel } from '@platform/realtime';
import {
  eventually,
  REDIS_MODES_UNDER_TEST,
  redisSubscriberCount,
  startRedisUnderTest,
  uniqueName,
  type RedisUnderTest,
} from '@platform/testing';
import { redisNotificationPublisher } from '../src/realtime-publisher.js';

describe.each(REDIS_MODES_UNDER_TEST)('the notification publisher on %s Redis', (mode) => {
  let deployment: RedisUnderTest;
  let publisher: RedisConnection;
  let subscriber: RedisConnection;
  beforeAll(async () => {
    deployment = await startRedisUnderTest(mode);
    publisher = createRedisConnection(deployment.target, { connectionName: 'publisher-test' });
    subscriber = createRedisConnection(deployment.target, { connectionName: 'subscriber-test' });
  }, 60_000);
  afterAll(async () => {
    publisher.disconnect();
    subscriber.disconnect();
    await deployment.dispose();
  });

  it("publishes a batch in one pipeline, each recipient's messages arriving in order", async () => {
    // Recipients whose channels hash to different slots: on a cluster, the pipeline goes to one
    // node and PUBLISH reaches the subscriber's node over the cluster bus.
    const recipients = [1, 2, 3, 4].map((n) => uniqueName(`recipient${n}`));
    const received = new Map<string, string[]>(recipients.map((id) => [id, []]));
    const byChannel = new Map(recipients.map((id) => [notificationChannel(id), id]));
    subscriber.on('message', (channel: string, raw: string) => {
      const recipient = byChannel.get(channel);
      const message = decodeNotificationMessage(raw);
      if (recipient && message) received.get(recipient)!.push(message.notificationId);
    });
    await subscriber.subscribe(...byChannel.keys());
    for (const channel of byChannel.keys()) {
      expect(await redisSubscriberCount(channel, deployment.target)).toBe(1);
    }

    const messages = [1, 2, 3].flatMap((n) =>
      recipients.map((recipientId) => ({
        recipientId,
        message: { notificationId: String(n), cursor: String(n).padStart(20, '0') },
      })),
    );
    await redisNotificationPublisher(publisher).publishMany(messages);

    await eventually(() =>
      [...received.values()].every((ids) => ids.length === 3) ? true : undefined,
    );
    for (const ids of received.values()) expect(ids).toEqual(['1', '2', '3']);
  });
});
