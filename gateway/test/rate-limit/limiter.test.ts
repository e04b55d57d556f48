import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { Principal, UserRole } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { anonymous, stackEndpoints, uniqueName, userPrincipal } from '@platform/testing';
import { createRateLimitMetrics } from '../../src/rate-limit/metrics.js';
import { rateLimitedError, rateLimitHeaders } from '../../src/rate-limit/headers.js';
import { createRateLimiter, type RateLimiter } from '../../src/rate-limit/limiter.js';
import { redisTokenBucket } from '../../src/rate-limit/token-bucket-script.js';
import type { TierLimits } from '../../src/rate-limit/tiers.js';

const logger = createLogger('rate-limit-test', { level: 'silent' });
const prefix = `${uniqueName('ratelimit_limiter')}:`;
const connections: Redis[] = [];

const user = (userId: string, role: UserRole = 'USER') => userPrincipal(userId, { role });
const apiKey = (apiKeyId: string, role: UserRole = 'USER', userId = 'key-owner'): Principal => ({
  kind: 'apiKey',
  userId,
  role,
  scopes: ['read'],
  apiKeyId,
});

/** Refill of 1 token per 1000 s: nothing refills while a test runs. */
const SLOW = 0.001;
const tiers = (capacity: number, refillPerSecond = SLOW): TierLimits => ({
  anonymous: { capacity, refillPerSecond },
  user: { capacity, refillPerSecond },
  admin: { capacity, refillPerSecond },
});

/** A limiter as one gateway process holds it: its own Redis connection and metrics. */
function gatewayProcess(
  tierLimits: TierLimits,
  keyPrefix = prefix,
  apiKeyCap?: { capacity: number; refillPerSecond: number },
) {
  const redis = new Redis(stackEndpoints().redis.url);
  connections.push(redis);
  const registry = new Registry();
  const limiter = createRateLimiter({
    buckets: redisTokenBucket(redis),
    tiers: tierLimits,
    apiKeyCap,
    logger,
    metrics: createRateLimitMetrics(registry),
    keyPrefix,
    // The stack's Redis is shared with other test files: give it room to answer.
    redisTimeoutMs: 2000,
    instanceCount: 1,
  });
  return { limiter, registry, redis };
}

async function counted(registry: Registry, name: string, labels: Record<string, string>) {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
    .reduce((sum, value) => sum + value.value, 0);
}

let first: ReturnType<typeof gatewayProcess>;
let second: ReturnType<typeof gatewayProcess>;

beforeAll(async () => {
  first = gatewayProcess(tiers(12));
  second = gatewayProcess(tiers(12));
  // Connected before the first charge (a limiter whose Redis is not ready yet decides locally).
  await Promise.all(connections.map((redis) => redis.ping()));
});

afterAll(async () => {
  const keys = await connections[0]!.keys(`${prefix}*`);
  if (keys.length > 0) await connections[0]!.del(...keys);
  await Promise.all(connections.map((redis) => redis.quit()));
});

const allowedCount = (decisions: { allowed: boolean }[]) =>
  decisions.filter((decision) => decision.allowed).length;

describe('rate limiter shared by gateway processes', () => {
  it('lets two processes alternating charges spend one budget: exactly capacity / cost pass', async () => {
    const decisions = [];
    for (let i = 0; i < 10; i++) {
      const gateway: RateLimiter = (i % 2 === 0 ? first : second).limiter;
      decisions.push(await gateway.charge(user('alternating'), 3, undefined));
    }
    expect(decisions.map((decision) => decision.allowed)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(decisions.every((decision) => decision.source === 'redis')).toBe(true);
  });

  it('lets exactly capacity / cost of many simultaneous charges from both processes pass', async () => {
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? first : second).limiter.charge(user('simultaneous'), 3, undefined),
      ),
    );
    expect(allowedCount(decisions)).toBe(4);
  });

  it('counts decisions by tier and outcome', async () => {
    const { limiter, registry, redis } = gatewayProcess(tiers(5));
    await redis.ping();
    await limiter.charge(user('counted'), 3, undefined);
    await limiter.charge(user('counted'), 3, undefined);
    await limiter.charge(user('counted'), 6, undefined);
    const decisions = 'gateway_rate_limit_decisions_total';
    expect(await counted(registry, decisions, { tier: 'user', outcome: 'allowed' })).toBe(1);
    expect(await counted(registry, decisions, { tier: 'user', outcome: 'limited' })).toBe(1);
    expect(await counted(registry, decisions, { tier: 'user', outcome: 'over_capacity' })).toBe(1);
    expect(await counted(registry, 'gateway_rate_limit_fallback_total', {})).toBe(0);
  });
});

describe('rate limit tiers and budgets', () => {
  const { limiter } = gatewayProcess({
    anonymous: { capacity: 11, refillPerSecond: SLOW },
    user: { capacity: 12, refillPerSecond: SLOW },
    admin: { capacity: 14, refillPerSecond: SLOW },
  });

  it("chooses the tier by principal: an API key's is its owner's, admins by role", async () => {
    const cases: [Principal, string, number][] = [
      [anonymous, 'anonymous', 11],
      [user('tiered'), 'user', 12],
      [apiKey('tiered', 'USER', 'tiered-key-owner'), 'user', 12],
      [user('tiered-admin', 'ADMIN'), 'admin', 14],
      [apiKey('tiered-admin', 'ADMIN', 'tiered-admin-key-owner'), 'admin', 14],
    ];
    for (const [principal, tier, limit] of cases) {
      const decision = await limiter.charge(principal, 1, '10.0.0.1');
      expect({ tier: decision.tier, limit: decision.limit, remaining: decision.remaining }).toEqual(
        { tier, limit, remaining: limit - 1 },
      );
    }
  });

  it('keeps one budget per user, shared by their tokens and all their API keys', async () => {
    const keyOne = apiKey('budget-key-1', 'USER', 'budget');
    const keyTwo = apiKey('budget-key-2', 'USER', 'budget');
    expect(await limiter.charge(keyOne, 5, undefined)).toMatchObject({
      allowed: true,
      key: 'user:budget',
      remaining: 7,
    });
    expect(await limiter.charge(keyTwo, 5, undefined)).toMatchObject({
      allowed: true,
      key: 'user:budget',
      remaining: 2,
    });
    // A new key adds nothing: the owner's token, and every key, draw on the 2 tokens left.
    expect((await limiter.charge(user('budget'), 3, undefined)).allowed).toBe(false);
    expect(
      (await limiter.charge(apiKey('budget-key-3', 'USER', 'budget'), 3, undefined)).allowed,
    ).toBe(false);
    expect((await limiter.charge(user('budget'), 2, undefined)).allowed).toBe(true);
    // Another user is untouched.
    expect((await limiter.charge(user('budget-other'), 12, undefined)).allowed).toBe(true);
  });

  it("caps each API key with a bucket of its own, besides its owner's, when one is configured", async () => {
    const capped = gatewayProcess(tiers(12), prefix, { capacity: 5, refillPerSecond: SLOW });
    await capped.redis.ping();
    const keyOne = apiKey('capped-key-1', 'USER', 'capped');
    const keyTwo = apiKey('capped-key-2', 'USER', 'capped');
    expect(await capped.limiter.charge(keyOne, 4, undefined)).toMatchObject({
      allowed: true,
      remaining: 1,
      limit: 5,
      key: 'user:capped',
    });
    // The key's cap refuses although its owner's budget holds 8.
    expect((await capped.limiter.charge(keyOne, 4, undefined)).allowed).toBe(false);
    expect((await capped.limiter.charge(keyTwo, 4, undefined)).allowed).toBe(true);
    // Both keys spent the owner's budget: 4 of 12 left, for the token and every key.
    expect(await capped.limiter.charge(user('capped'), 4, undefined)).toMatchObject({
      allowed: true,
      remaining: 0,
      limit: 12,
    });
    expect(
      (await capped.limiter.charge(apiKey('capped-key-3', 'USER', 'capped'), 1, undefined)).allowed,
    ).toBe(false);
  });

  it('keeps one budget per anonymous client IP', async () => {
    expect((await limiter.charge(anonymous, 11, '192.0.2.7')).key).toBe('ip:192.0.2.7');
    expect((await limiter.charge(anonymous, 1, '192.0.2.7')).allowed).toBe(false);
    // The same IPv4 address seen through an IPv6 socket is the same caller.
    expect((await limiter.charge(anonymous, 1, '::ffff:192.0.2.7')).allowed).toBe(false);
    expect((await limiter.charge(anonymous, 1, '192.0.2.8')).allowed).toBe(true);
  });
});

describe('rate limit headers and errors', () => {
  const { limiter, redis } = gatewayProcess(tiers(100, 10));

  it('reports limit, whole tokens left and seconds until full on an allowed charge', async () => {
    const decision = await limiter.charge(user('headers'), 7, undefined);
    expect(rateLimitHeaders(decision)).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '93',
      'RateLimit-Reset': '1',
    });
  });

  it('adds Retry-After, the seconds until the cost is available, on a refused charge', async () => {
    // A known state: 2 tokens, last updated ahead of the Redis clock so nothing refills.
    const [seconds] = await redis.time();
    await redis.hset(
      `${prefix}user:headers-refused`,
      'tokens',
      '2',
      'updated_at_ms',
      String(Number(seconds) * 1000 + 60_000),
    );
    const decision = await limiter.charge(user('headers-refused'), 5, undefined);
    expect(decision).toMatchObject({ allowed: false, remaining: 2, retryAfterSeconds: 1 });
    expect(rateLimitHeaders(decision)).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '2',
      'RateLimit-Reset': '10',
      'Retry-After': '1',
    });
    const error = rateLimitedError(decision);
    expect(error.message).toBe(
      'Rate limit exceeded: this operation costs 5 and 2 of 100 tokens are left; retry in 1 second',
    );
    expect(error.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
      cost: 5,
      limit: 100,
      http: { status: 429 },
    });
    const http = error.extensions.http as unknown as { headers: Map<string, string> };
    expect(http.headers.get('retry-after')).toBe('1');
  });

  it('refuses a cost above the capacity, explaining that it can never pass', async () => {
    const decision = await limiter.charge(user('too-costly'), 101, undefined);
    expect(decision).toMatchObject({ allowed: false, retryAfterSeconds: null, remaining: 100 });
    expect(rateLimitHeaders(decision)).not.toHaveProperty('Retry-After');
    const error = rateLimitedError(decision);
    expect(error.message).toMatch(/costs 101, more than the 100 tokens .* can never pass/);
    expect(error.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: null,
      cost: 101,
      limit: 100,
    });
  });

  it('leaves out the HTTP status and headers for a refusal sent over a WebSocket', async () => {
    const decision = await limiter.charge(user('subscriber'), 101, undefined);
    const error = rateLimitedError(decision, { http: false });
    expect(error.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: null,
      cost: 101,
      limit: 100,
    });
  });

  it('rejects a negative or non-finite cost as a programming error', async () => {
    await expect(limiter.charge(user('bad-cost'), -1, undefined)).rejects.toThrow(RangeError);
    await expect(limiter.charge(user('bad-cost'), Number.NaN, undefined)).rejects.toThrow(
      RangeError,
    );
  });
});
