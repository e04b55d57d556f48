import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createRedisConnection, type RedisConnection } from '@platform/redis';
import { Registry } from 'prom-client';
import { createEvent } from '@platform/events';
import { createLogger } from '@platform/logger';
import {
  eventually,
  REDIS_MODES_UNDER_TEST,
  startRedisUnderTest,
  uniqueName,
  type RedisUnderTest,
} from '@platform/testing';
import { counted } from './cache-platform.js';
import { connectRedis } from '../../src/redis/connection.js';
import { cacheInvalidationHandler } from '../../src/response-cache/event-invalidation.js';
import { startGatewayResponseCache } from '../../src/response-cache/start.js';
import type { ResponseToStore } from '../../src/response-cache/store.js';

/**
 * Two gateway processes' caches (startGatewayResponseCache, as the server wires it: a local tier
 * kept by the invalidation broadcast) under one key prefix of their own, on the stack's Redis and
 * on a three-node cluster.
 */
const logger = createLogger('local-tier-test', { level: 'silent' });
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const ready = (redis: RedisConnection) =>
  redis.status === 'ready' ? undefined : new Promise((resolve) => redis.once('ready', resolve));

let deployment: RedisUnderTest;

async function gatewayCache(keyPrefix: string) {
  const { target } = deployment;
  const redis = connectRedis(target, 'response-cache', { logger, commandTimeoutMs: 2000 });
  const subscriber = connectRedis(target, 'cache-invalidation', { logger });
  const registry = new Registry();
  const cache = startGatewayResponseCache({
    config: {
      enabled: true,
      untagged: 'skip',
      fastPath: true,
      localMaxBytes: 1_000_000,
      redisTimeoutMs: 2000,
      apqTtlSeconds: 300,
      kafkaBrokers: [],
    },
    redis,
    subscriber,
    registry,
    logger,
    consumeEvents: false,
    keyPrefix,
  });
  await Promise.all([ready(redis), ready(subscriber)]);
  stops.push(async () => {
    await cache.stop();
    redis.disconnect();
  });
  const localHits = () => counted(registry, 'gateway_response_cache_local_total', 'hit');
  return { store: cache.store, subscriber, localHits };
}

const operation = { queryHash: 'h-local', operationName: null, variables: { id: 'd1' } };
const principalKey = 'user:u1:USER';
const response = (sequence: number, title: string): ResponseToStore => ({
  operation,
  principalKey,
  result: { data: { document: { title } } },
  scope: 'PRIVATE',
  maxAge: 60,
  tags: ['Document:d1', 'Project:p1'],
  sequence,
});
const titleIn = async (store: Awaited<ReturnType<typeof gatewayCache>>['store']) =>
  (
    (await store.lookup(operation, principalKey))?.hit?.result.data as
      { document: { title: string } } | undefined
  )?.document.title;

/** Stores `title`, then reads it twice through `reader`: a Redis hit that fills, a local hit. */
async function cachedLocally(
  writer: Awaited<ReturnType<typeof gatewayCache>>,
  reader: Awaited<ReturnType<typeof gatewayCache>>,
  title: string,
) {
  const { sequence } = (await writer.store.lookup(operation, principalKey))!;
  expect(await writer.store.store(response(sequence, title))).toBe(true);
  expect(await titleIn(reader.store)).toBe(title);
  const before = await reader.localHits();
  expect(await titleIn(reader.store)).toBe(title);
  expect(await reader.localHits()).toBe(before + 1);
}

describe.each(REDIS_MODES_UNDER_TEST)('local tier across gateway processes on %s Redis', (mode) => {
  beforeAll(async () => {
    deployment = await startRedisUnderTest(mode);
  }, 60_000);
  afterAll(() => deployment.dispose());

  it("drops process B's local copy when process A's event consumer invalidates it", async () => {
    const keyPrefix = `${uniqueName('local-tier')}:`;
    const [a, b] = [await gatewayCache(keyPrefix), await gatewayCache(keyPrefix)];
    await cachedLocally(a, b, 'Draft');

    // Only A holds the consumer group's partition: B hears of the event through the broadcast.
    const handler = cacheInvalidationHandler(a.store, { repeatAfterMs: 0 });
    await handler.handle(
      createEvent('document.updated', {
        actor: { userId: 'u1' },
        subject: { type: 'Document', id: 'd1' },
        data: {
          projectId: 'p1',
          title: 'Final',
          version: 2,
          changedFields: ['title'],
          memberIds: ['u1'],
        },
      }),
    );
    await eventually(async () => ((await titleIn(b.store)) === undefined ? true : undefined), {
      timeoutMs: 5000,
      intervalMs: 20,
      what: "B's local copy dropped",
    });
  });

  it('stops trusting its local copies when its broadcast subscription is lost', async () => {
    const keyPrefix = `${uniqueName('local-tier')}:`;
    const [a, b] = [await gatewayCache(keyPrefix), await gatewayCache(keyPrefix)];
    await cachedLocally(a, b, 'Draft');

    // B cannot hear invalidations while its subscriber is away: A's write must still reach it.
    const lost = new Promise((resolve) => b.subscriber.once('close', resolve));
    b.subscriber.disconnect(true);
    await lost;
    await a.store.invalidate(['Document:d1'], 'mutation');
    expect(await titleIn(b.store)).toBeUndefined();

    await ready(b.subscriber);
    await cachedLocally(a, b, 'Final');
  });

  it('stops trusting its local copies when Redis drops its subscriber connection', async () => {
    const keyPrefix = `${uniqueName('local-tier')}:`;
    const [a, b] = [await gatewayCache(keyPrefix), await gatewayCache(keyPrefix)];
    await cachedLocally(a, b, 'Draft');

    // The server cuts B's subscriber (a failover, a timeout): B must notice, on a cluster too.
    if (!(b.subscriber instanceof Redis)) throw new Error('the subscriber is a plain connection');
    const node = createRedisConnection(
      { ...deployment.target, mode: 'standalone' },
      { connectionName: 'local-tier-test-admin' },
    );
    try {
      const lost = new Promise((resolve) => b.subscriber.once('close', resolve));
      const address = `127.0.0.1:${b.subscriber.stream.localPort}`;
      // The filter form of CLIENT KILL answers how many connections it closed.
      expect(await node.call('CLIENT', 'KILL', 'ADDR', address)).toBe(1);
      await lost;
    } finally {
      node.disconnect();
    }
    await a.store.invalidate(['Document:d1'], 'mutation');
    expect(await titleIn(b.store)).toBeUndefined();

    await ready(b.subscriber);
    await cachedLocally(a, b, 'Final');
  });
});
