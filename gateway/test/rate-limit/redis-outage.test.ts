import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import {
  eventually,
  recordingLogger,
  startPrivateRedis,
  userPrincipal,
  type PrivateService,
} from '@platform/testing';
import { createRateLimitMetrics } from '../../src/rate-limit/metrics.js';
import { createRateLimiter, type RateLimitDecision } from '../../src/rate-limit/limiter.js';
import { redisTokenBucket } from '../../src/rate-limit/token-bucket-script.js';
import type { TierLimits } from '../../src/rate-limit/tiers.js';

const tiers: TierLimits = {
  anonymous: { capacity: 10, refillPerSecond: 0.001 },
  user: { capacity: 10, refillPerSecond: 0.001 },
  admin: { capacity: 10, refillPerSecond: 0.001 },
};
const user = (userId: string) => userPrincipal(userId);

function limiterOn(
  redis: Redis,
  options: { instanceCount?: number; redisTimeoutMs?: number } = {},
) {
  const registry = new Registry();
  const { logger, records } = recordingLogger('rate-limit-outage-test');
  const limiter = createRateLimiter({
    buckets: redisTokenBucket(redis),
    tiers,
    logger,
    metrics: createRateLimitMetrics(registry),
    redisTimeoutMs: options.redisTimeoutMs ?? 50,
    instanceCount: options.instanceCount ?? 1,
  });
  return { limiter, registry, records };
}

async function fallbacksCounted(registry: Registry, reason?: string): Promise<number> {
  const { values } = await registry.getSingleMetric('gateway_rate_limit_fallback_total')!.get();
  return values
    .filter((value) => reason === undefined || value.labels.reason === reason)
    .reduce((sum, value) => sum + value.value, 0);
}

/** Charges until the decision satisfies `done`, for at most `timeoutMs`. */
function chargeUntil(
  charge: () => Promise<RateLimitDecision>,
  done: (decision: RateLimitDecision) => boolean,
  timeoutMs = 15_000,
): Promise<RateLimitDecision> {
  return eventually(
    async () => {
      const decision = await charge();
      return done(decision) ? decision : undefined;
    },
    { timeoutMs, intervalMs: 50, what: 'a decision that satisfies done' },
  );
}

describe('rate limiter without Redis', () => {
  let unreachable: Redis;

  beforeAll(() => {
    // Nothing listens on port 1: every connection attempt is refused.
    unreachable = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => 200,
    });
    unreachable.on('error', () => undefined);
  });

  afterAll(() => unreachable.disconnect());

  it('keeps deciding per process, with each process allowed its share of the tier', async () => {
    const { limiter, registry } = limiterOn(unreachable, { instanceCount: 2 });
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.charge(user('offline'), 2, undefined));
    expect(decisions.map((d) => [d.source, d.allowed, d.limit, d.remaining])).toEqual([
      ['fallback', true, 5, 3],
      ['fallback', true, 5, 1],
      ['fallback', false, 5, 1],
    ]);
    expect(await fallbacksCounted(registry)).toBe(3);
  });

  it('logs the switch to the fallback once for the whole outage', async () => {
    const { limiter, records } = limiterOn(unreachable);
    for (let i = 0; i < 5; i++) await limiter.charge(user('logged'), 1, undefined);
    expect(records.filter((record) => record.level === 'warn')).toHaveLength(1);
    expect(records[0]!.message).toMatch(/Redis is unreachable/);
  });

  it('still refuses a cost above the tier capacity as never passable', async () => {
    const { limiter } = limiterOn(unreachable, { instanceCount: 2 });
    const decision = await limiter.charge(user('huge-offline'), 11, undefined);
    expect(decision).toMatchObject({ source: 'fallback', allowed: false, retryAfterSeconds: null });
  });

  it("lets a cost within the tier but above this process's share pass once the share is full", async () => {
    const { limiter } = limiterOn(unreachable, { instanceCount: 2 });
    const first = await limiter.charge(user('share'), 8, undefined);
    const second = await limiter.charge(user('share'), 8, undefined);
    expect([first.allowed, first.remaining, second.allowed]).toEqual([true, 0, false]);
  });
});

describe('rate limiter through a Redis outage and back', () => {
  let server: PrivateService & { url: string };
  let redis: Redis;

  beforeAll(async () => {
    server = await startPrivateRedis();
    redis = new Redis(server.url, {
      enableOfflineQueue: false,
      retryStrategy: () => 100,
    });
    redis.on('error', () => undefined);
    await once(redis, 'ready');
  });

  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it('falls back while Redis is down and returns to the shared bucket when it is back', async () => {
    const { limiter, registry, records } = limiterOn(redis);
    expect((await limiter.charge(user('outage'), 1, undefined)).source).toBe('redis');

    await server.stop();
    const during = await chargeUntil(
      () => limiter.charge(user('outage'), 1, undefined),
      (decision) => decision.source === 'fallback',
    );
    expect(during.source).toBe('fallback');
    await limiter.charge(user('outage'), 1, undefined);
    expect(await fallbacksCounted(registry)).toBeGreaterThanOrEqual(2);

    await server.start();
    const after = await chargeUntil(
      () => limiter.charge(user('outage'), 1, undefined),
      (decision) => decision.source === 'redis',
    );
    expect(after.source).toBe('redis');
    expect(records.map((record) => record.level)).toEqual(['warn', 'info']);
    expect(records[1]!.message).toMatch(/Redis is reachable again/);
  });

  it('decides locally when Redis does not answer within the timeout, then recovers', async () => {
    const { limiter, registry } = limiterOn(redis);
    await chargeUntil(
      () => limiter.charge(user('frozen'), 1, undefined),
      (decision) => decision.source === 'redis',
    );
    server.freeze();
    try {
      const frozen = await limiter.charge(user('frozen'), 1, undefined);
      expect(frozen.source).toBe('fallback');
      expect(await fallbacksCounted(registry, 'timeout')).toBe(1);
    } finally {
      server.thaw();
    }
    const thawed = await chargeUntil(
      () => limiter.charge(user('frozen'), 1, undefined),
      (decision) => decision.source === 'redis',
    );
    expect(thawed.source).toBe('redis');
  });

  it('keeps charging after Redis forgets the script (EVALSHA falls back to EVAL)', async () => {
    const { limiter } = limiterOn(redis, { redisTimeoutMs: 2000 });
    await chargeUntil(
      () => limiter.charge(user('flushed'), 1, undefined),
      (decision) => decision.source === 'redis',
    );
    await redis.script('FLUSH');
    const decision = await limiter.charge(user('flushed'), 1, undefined);
    expect(decision).toMatchObject({ source: 'redis', allowed: true });
  });
});
