import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashTagged, type RedisConnection } from '@platform/redis';
import { Registry } from 'prom-client';
import { createLogger } from '@platform/logger';
import {
  REDIS_MODES_UNDER_TEST,
  startRedisUnderTest,
  uniqueName,
  type RedisUnderTest,
} from '@platform/testing';
import { connectTestRedis } from './cache-platform.js';
import { createResponseCacheMetrics } from '../../src/response-cache/metrics.js';
import { responseCacheStore, type ResponseToStore } from '../../src/response-cache/store.js';

const logger = createLogger('cache-store-test', { level: 'silent' });
let deployment: RedisUnderTest;
let redis: RedisConnection;

const newStore = () => {
  const keyPrefix = `${uniqueName('cache-store-test')}:`;
  const store = responseCacheStore({
    redis,
    keyPrefix,
    logger,
    metrics: createResponseCacheMetrics(new Registry()),
  });
  return { store, keyPrefix };
};

const operation = {
  queryHash: 'h1',
  operationName: null,
  variables: { b: 1, a: [1, { y: 2, x: 1 }] },
};
const response = (sequence: number, tags: string[]): ResponseToStore => ({
  operation,
  principalKey: 'user:u1:USER',
  result: { data: { document: { title: 'cached' } } },
  scope: 'PRIVATE',
  maxAge: 60,
  tags,
  sequence,
});

describe.each(REDIS_MODES_UNDER_TEST)('response cache store on %s Redis', (mode) => {
  beforeAll(async () => {
    deployment = await startRedisUnderTest(mode);
    redis = await connectTestRedis(deployment.target);
  }, 60_000);

  afterAll(async () => {
    redis.disconnect();
    await deployment.dispose();
  });

  it('finds a PRIVATE entry only for its principal, whatever the order of the variables', async () => {
    const { store } = newStore();
    const { sequence } = (await store.lookup(operation, 'user:u1:USER'))!;
    expect(await store.store(response(sequence, ['Document:1']))).toBe(true);

    const reordered = { ...operation, variables: { a: [1, { x: 1, y: 2 }], b: 1 } };
    const hit = (await store.lookup(reordered, 'user:u1:USER'))?.hit;
    expect(hit?.result).toEqual({ data: { document: { title: 'cached' } } });
    expect(hit?.scope).toBe('PRIVATE');
    expect(hit!.age + hit!.remaining).toBe(60);
    expect((await store.lookup(operation, 'user:u2:USER'))?.hit).toBeUndefined();
    expect((await store.lookup(operation, undefined))?.hit).toBeUndefined();
  });

  it('refuses to store a response read before one of its tags was invalidated', async () => {
    const { store } = newStore();
    const { sequence } = (await store.lookup(operation, 'user:u1:USER'))!;
    // A write lands while the read is at the subgraphs: the read may hold the old value.
    await store.invalidate(['Document:1'], 'mutation');
    expect(await store.store(response(sequence, ['Document:1', 'Project:9']))).toBe(false);
    expect((await store.lookup(operation, 'user:u1:USER'))?.hit).toBeUndefined();

    // A read that starts after the write is stored.
    const later = (await store.lookup(operation, 'user:u1:USER'))!;
    expect(await store.store(response(later.sequence, ['Document:1']))).toBe(true);
  });

  it('deletes every entry holding an invalidated tag, and its tag set', async () => {
    const { store, keyPrefix } = newStore();
    const { sequence } = (await store.lookup(operation, 'user:u1:USER'))!;
    await store.store(response(sequence, ['Document:1', 'Project:9']));
    expect(await redis.ttl(`${hashTagged(redis, keyPrefix)}tag:Project:9`)).toBeGreaterThan(0);

    await store.invalidate(['Project:9'], 'event');
    expect((await store.lookup(operation, 'user:u1:USER'))?.hit).toBeUndefined();
    expect(await redis.exists(`${hashTagged(redis, keyPrefix)}tag:Project:9`)).toBe(0);
  });
});
