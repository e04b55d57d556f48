import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRedisConnection, hashTagged, type RedisConnection } from '@platform/redis';
import {
  REDIS_MODES_UNDER_TEST,
  startRedisUnderTest,
  uniqueName,
  type RedisUnderTest,
} from '@platform/testing';
import type { TokenBucketStore } from '../../src/rate-limit/bucket-store.js';
import { redisTokenBucket } from '../../src/rate-limit/token-bucket-script.js';

describe.each(REDIS_MODES_UNDER_TEST)('on %s Redis', (mode) => {
  let deployment: RedisUnderTest;
  let redis: RedisConnection;
  let bucket: TokenBucketStore;
  const prefix = `${uniqueName('ratelimit_script')}:`;
  const key = (name: string) => `${prefix}${name}`;
  /** Where the script keeps a bucket charged on its own (on a cluster, its key is its hash tag). */
  const stored = (name: string) => hashTagged(redis, key(name));

  beforeAll(async () => {
    deployment = await startRedisUnderTest(mode);
    redis = createRedisConnection(deployment.target, { connectionName: 'token-bucket-test' });
    bucket = redisTokenBucket(redis);
  }, 60_000);

  afterAll(async () => {
    if (!redis.isCluster) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
    await deployment.dispose();
  });

  describe('the token bucket script in Redis', () => {
    it('lets a cost of 3 pass three times from 10 tokens and refuses the fourth with its wait', async () => {
      // 1 token per 1000 s: refill during the test stays far below a whole token.
      const limits = { capacity: 10, refillPerSecond: 0.001 };
      const outcomes = [];
      for (let i = 0; i < 4; i++)
        outcomes.push(await bucket.take([{ key: key('four'), limits }], 3));
      expect(outcomes.map((o) => [o.allowed, o.remaining])).toEqual([
        [true, 7],
        [true, 4],
        [true, 1],
        [false, 1],
      ]);
      // The fourth misses 2 tokens at 0.001 per second: 2000 s; the bucket is full in 9000 s.
      expect(outcomes[3]).toMatchObject({ retryAfterSeconds: 2000, resetSeconds: 9000 });
      expect(outcomes[0]).toMatchObject({ retryAfterSeconds: 0, resetSeconds: 3000 });
    });

    it('refills by the time elapsed on the Redis clock', async () => {
      const limits = { capacity: 10, refillPerSecond: 1 };
      await bucket.take([{ key: key('refill'), limits }], 9);
      // Move the last update 5 s back: the bucket has earned 5 tokens since.
      const updatedAt = Number(await redis.hget(stored('refill'), 'updated_at_ms'));
      await redis.hset(stored('refill'), 'updated_at_ms', String(updatedAt - 5000));
      const outcome = await bucket.take([{ key: key('refill'), limits }], 6);
      expect(outcome).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('does not refill a bucket whose last update is ahead of the Redis clock', async () => {
      const limits = { capacity: 10, refillPerSecond: 1 };
      const [seconds] = await redis.time();
      const ahead = Number(seconds) * 1000 + 60_000;
      await redis.hset(stored('ahead'), 'tokens', '2', 'updated_at_ms', String(ahead));
      const outcome = await bucket.take([{ key: key('ahead'), limits }], 3);
      expect(outcome).toEqual({
        allowed: false,
        remaining: 2,
        resetSeconds: 8,
        retryAfterSeconds: 1,
        binding: 0,
      });
    });

    it('refuses a cost above the capacity as never passable and charges nothing', async () => {
      const limits = { capacity: 10, refillPerSecond: 1 };
      const outcome = await bucket.take([{ key: key('huge'), limits }], 11);
      expect(outcome).toEqual({
        allowed: false,
        remaining: 10,
        resetSeconds: 0,
        retryAfterSeconds: null,
        binding: 0,
      });
    });

    it('charges several buckets as one: every one when each holds the cost, else none', async () => {
      const owner = { key: key('owner'), limits: { capacity: 10, refillPerSecond: 0.001 } };
      const cap = { key: key('cap'), limits: { capacity: 4, refillPerSecond: 0.001 } };
      const first = await bucket.take([owner, cap], 3);
      // The cap is the tighter bucket: 1 token left of 4, against 7 of 10.
      expect(first).toMatchObject({ allowed: true, remaining: 1, binding: 1 });
      const refused = await bucket.take([owner, cap], 3);
      // 2 tokens missing from the cap at 0.001 per second; the owner could have paid.
      expect(refused).toMatchObject({ allowed: false, remaining: 1, retryAfterSeconds: 2000 });
      expect(Number(await redis.hget(stored('owner'), 'tokens'))).toBeCloseTo(7, 2);
      // The owner's bucket alone still pays.
      expect(await bucket.take([owner], 3)).toMatchObject({ allowed: true, remaining: 4 });
      expect(await bucket.take([owner, cap], 5)).toMatchObject({
        allowed: false,
        retryAfterSeconds: null,
      });
    });

    it('expires the bucket once it would be full again, plus a margin', async () => {
      const limits = { capacity: 10, refillPerSecond: 2 };
      await bucket.take([{ key: key('expiry'), limits }], 4);
      const ttl = await redis.pttl(stored('expiry'));
      // 4 tokens at 2 per second: full in 2000 ms, kept 1000 ms longer.
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3000);
    });
  });

  // On a standalone server there are no slots to check.
  (mode === 'cluster' ? it : it.skip)(
    "spreads callers over the cluster's slots, each charge's buckets in one",
    async () => {
      // Redis refuses a script whose keys span slots (CROSSSLOT): each of these charges ran.
      const limits = { capacity: 10, refillPerSecond: 1 };
      const callers = ['user:1', 'user:2', 'user:3', 'user:4'].map((name) => key(name));
      for (const caller of callers) {
        await bucket.take(
          [
            { key: caller, limits },
            { key: `${caller}:cap`, limits },
          ],
          1,
        );
      }
      const slots = await Promise.all(
        callers.map((caller) => redis.call('CLUSTER', 'KEYSLOT', hashTagged(redis, caller))),
      );
      expect(new Set(slots).size).toBeGreaterThan(1);
    },
  );
});
