import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { redisTargetOf, type RedisConnection } from '@platform/redis';
import { recordingLogger, stackEndpoints, uniqueName } from '@platform/testing';
import { connectRedis, degradingCommands, redisOutage } from '../../src/redis/index.js';

/** The response cache's way of sending commands: a short timeout per command, degrading on failure. */
const { logger, records } = recordingLogger('degrading-commands-test');
const key = uniqueName('degrading_commands');
let redis: RedisConnection;

beforeAll(async () => {
  redis = connectRedis(redisTargetOf(stackEndpoints().redis.url), 'response-cache', {
    logger,
    commandTimeoutMs: 20,
  });
  await once(redis, 'ready');
  await redis.set(key, 'cached', 'EX', 60);
});

afterAll(async () => {
  await redis.del(key);
  await redis.quit();
});

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('degrading Redis commands', () => {
  it("take an answer that waited in the socket while the event loop was busy past the command's timeout", async () => {
    const outage = redisOutage(logger, { down: 'down', up: 'up' });
    const send = degradingCommands(redis, outage);
    const reading = send(() => redis.get(key));
    // Redis answers within a millisecond; this process reads the answer only after 200.
    busyFor(200);
    expect(await reading).toBe('cached');
    expect(outage.ongoing).toBe(false);
    expect(records).toEqual([]);
  });

  it('fail a command Redis does not answer within the timeout, logged once as an outage', async () => {
    const outage = redisOutage(logger, { down: 'down', up: 'up' });
    const send = degradingCommands(redis, outage);
    let bypasses = 0;
    const onFailure = () => (bypasses += 1);
    // BLPOP on an empty list answers (nil) after 300 ms, far past the 20 ms timeout; it blocks
    // only this connection, not Redis.
    const slow = await send(() => redis.blpop(`${key}:empty`, 0.3), { onFailure });
    expect(slow).toBeUndefined();
    expect(bypasses).toBe(1);
    expect(outage.ongoing).toBe(true);
    expect(records).toEqual([{ level: 'warn', message: 'down' }]);
    // Once Redis answers again, the outage ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await send(() => redis.get(key))).toBe('cached');
    expect(outage.ongoing).toBe(false);
  });
});
