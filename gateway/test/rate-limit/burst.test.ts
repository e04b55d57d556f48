import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { redisTargetOf, type RedisConnection } from '@platform/redis';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { recordingLogger, stackEndpoints, uniqueName, userPrincipal } from '@platform/testing';
import { rateLimitConfig, rateLimitSettings } from '../../src/rate-limit/config.js';
import { createRateLimiter, type RateLimitDecision } from '../../src/rate-limit/limiter.js';
import { createRateLimitMetrics } from '../../src/rate-limit/metrics.js';
import { redisTokenBucket } from '../../src/rate-limit/token-bucket-script.js';
import { connectRedis } from '../../src/redis/index.js';

/** The limiter as the gateway builds it: the `rate-limit` connection, the default timeout. */
const defaults = rateLimitConfig(loadConfig(z.object(rateLimitSettings), {}));
const prefix = `${uniqueName('ratelimit_burst')}:`;
const { logger, records } = recordingLogger('rate-limit-burst-test');
let redis: RedisConnection;
const registry = new Registry();

async function metric(name: string): Promise<number> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return values.reduce((sum, value) => sum + value.value, 0);
}

/** Keeps the event loop busy, as a gateway planning and pricing other requests does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const limiter = () =>
  createRateLimiter({
    buckets: redisTokenBucket(redis),
    // Refill of 1 token per 1000 s: nothing refills while a test runs.
    tiers: {
      anonymous: { capacity: 1000, refillPerSecond: 0.001 },
      user: { capacity: 1000, refillPerSecond: 0.001 },
      admin: { capacity: 1000, refillPerSecond: 0.001 },
    },
    logger,
    metrics: createRateLimitMetrics(registry),
    redisTimeoutMs: defaults.redisTimeoutMs,
    instanceCount: 2,
    keyPrefix: prefix,
  });
let charge: ReturnType<typeof limiter>['charge'];

beforeAll(async () => {
  redis = connectRedis(redisTargetOf(stackEndpoints().redis.url), 'rate-limit', { logger });
  await once(redis, 'ready');
  charge = limiter().charge;
  // Redis has the script cached (the first EVALSHA of a fresh Redis falls back to EVAL).
  await charge(userPrincipal('burst-warm-up'), 1, undefined);
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const allowed = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed).length;

describe('rate limiter under a burst', () => {
  it('keeps 2,000 simultaneous charges on the shared buckets: none falls back', async () => {
    const fallbacksBefore = await metric('gateway_rate_limit_fallback_total');
    // 20 users, 100 charges of 20 tokens each: exactly 50 of each user's pass (1000 / 20), which
    // only the shared bucket gives (the fallback would allow this process's half, 25).
    const decisions = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        charge(userPrincipal(`burst-${i % 20}`), 20, undefined),
      ),
    );
    expect(decisions.filter((d) => d.source !== 'redis')).toHaveLength(0);
    expect(allowed(decisions)).toBe(20 * 50);
    expect(await metric('gateway_rate_limit_fallback_total')).toBe(fallbacksBefore);
    expect(await metric('gateway_rate_limit_shared')).toBe(1);
    expect(records.filter((record) => record.level === 'warn')).toEqual([]);
  });

  it('stays shared when the event loop is busy past the timeout while Redis has already answered', async () => {
    const fallbacksBefore = await metric('gateway_rate_limit_fallback_total');
    const charging = Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        charge(userPrincipal(`busy-${i % 20}`), 20, undefined),
      ),
    );
    // Redis answers within milliseconds, but this process only reads the answers after this.
    busyFor(defaults.redisTimeoutMs * 2);
    const decisions = await charging;
    expect(decisions.filter((d) => d.source !== 'redis')).toHaveLength(0);
    expect(allowed(decisions)).toBe(20 * 50);
    expect(await metric('gateway_rate_limit_fallback_total')).toBe(fallbacksBefore);
    expect(records.filter((record) => record.level === 'warn')).toEqual([]);
  });
});
