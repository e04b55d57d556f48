import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { Principal } from '@platform/identity';
import { adminPrincipal, anonymous, recordingLogger, userPrincipal } from '@platform/testing';
import { memoryTokenBuckets, type TokenBucketStore } from './bucket-store.js';
import { createRateLimiter } from './limiter.js';
import { createRateLimitMetrics } from './metrics.js';
import type { TierLimits } from './tiers.js';

/** Refill of 1 token per 1000 s: nothing refills while a test runs. */
const SLOW = 0.001;
const sameTiers = (capacity: number): TierLimits => ({
  anonymous: { capacity, refillPerSecond: SLOW },
  user: { capacity, refillPerSecond: SLOW },
  admin: { capacity, refillPerSecond: SLOW },
});

const apiKey = (apiKeyId: string): Principal => ({
  kind: 'apiKey',
  userId: 'key-owner',
  role: 'USER',
  scopes: ['read'],
  apiKeyId,
});

type StoreState = 'up' | 'disconnected' | 'failing' | 'silent';

/** Memory buckets that can be switched into each kind of outage, recording the keys it is asked. */
function switchableStore() {
  const shared = memoryTokenBuckets();
  const taken: string[] = [];
  let state: StoreState = 'up';
  const store: TokenBucketStore = {
    ready: () => state !== 'disconnected',
    take(charges, cost) {
      taken.push(...charges.map((charge) => charge.key));
      if (state === 'failing') return Promise.reject(new Error('READONLY replica'));
      if (state === 'silent') return new Promise(() => undefined);
      return shared.take(charges, cost);
    },
  };
  return { store, taken, set: (next: StoreState) => (state = next) };
}

function limiterOn(
  buckets: TokenBucketStore,
  {
    tiers = sameTiers(10),
    instanceCount = 1,
    keyPrefix = undefined as string | undefined,
    apiKeyCap = undefined as TierLimits['user'] | undefined,
  } = {},
) {
  const registry = new Registry();
  const { logger, records } = recordingLogger('rate-limit-unit-test');
  const limiter = createRateLimiter({
    buckets,
    tiers,
    logger,
    metrics: createRateLimitMetrics(registry),
    redisTimeoutMs: 20,
    instanceCount,
    apiKeyCap,
    ...(keyPrefix === undefined ? {} : { keyPrefix }),
  });
  return { limiter, registry, records };
}

async function counted(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
    .reduce((sum, value) => sum + value.value, 0);
}
const DECISIONS = 'gateway_rate_limit_decisions_total';
const FALLBACKS = 'gateway_rate_limit_fallback_total';
const SHARED = 'gateway_rate_limit_shared';

describe('rate limiter on a shared bucket store', () => {
  it('allows charges while the bucket holds the cost, then refuses with the tokens left and the wait', async () => {
    const { limiter } = limiterOn(memoryTokenBuckets());
    const user = userPrincipal('spender');
    const first = await limiter.charge(user, 4, undefined);
    const second = await limiter.charge(user, 4, undefined);
    const refused = await limiter.charge(user, 4, undefined);
    expect(first).toEqual({
      allowed: true,
      remaining: 6,
      resetSeconds: 4000,
      retryAfterSeconds: 0,
      tier: 'user',
      key: 'user:spender',
      cost: 4,
      limit: 10,
      source: 'redis',
    });
    expect(second).toMatchObject({ allowed: true, remaining: 2 });
    // 2 tokens missing at 0.001 per second.
    expect(refused).toMatchObject({ allowed: false, remaining: 2, retryAfterSeconds: 2000 });
  });

  it('refuses a cost above the capacity as never passable and counts each outcome', async () => {
    const { limiter, registry } = limiterOn(memoryTokenBuckets(), { tiers: sameTiers(5) });
    const user = userPrincipal('counted');
    await limiter.charge(user, 3, undefined);
    await limiter.charge(user, 3, undefined);
    const tooCostly = await limiter.charge(user, 6, undefined);
    expect(tooCostly).toMatchObject({ allowed: false, retryAfterSeconds: null, remaining: 2 });
    expect(await counted(registry, DECISIONS, { tier: 'user', outcome: 'allowed' })).toBe(1);
    expect(await counted(registry, DECISIONS, { tier: 'user', outcome: 'limited' })).toBe(1);
    expect(await counted(registry, DECISIONS, { tier: 'user', outcome: 'over_capacity' })).toBe(1);
    expect(await counted(registry, FALLBACKS)).toBe(0);
  });

  it('applies each principal its tier and charges its own budget', async () => {
    const { limiter } = limiterOn(memoryTokenBuckets(), {
      tiers: {
        anonymous: { capacity: 11, refillPerSecond: SLOW },
        user: { capacity: 12, refillPerSecond: SLOW },
        admin: { capacity: 14, refillPerSecond: SLOW },
      },
    });
    const cases: [Principal, string, string, number][] = [
      [anonymous, 'anonymous', 'ip:192.0.2.1', 11],
      [userPrincipal('tiered'), 'user', 'user:tiered', 12],
      // An API key spends its owner's budget, in its owner's tier.
      [apiKey('tiered'), 'user', 'user:key-owner', 12],
      [adminPrincipal('tiered-admin'), 'admin', 'user:tiered-admin', 14],
    ];
    for (const [principal, tier, key, limit] of cases) {
      const decision = await limiter.charge(principal, 1, '192.0.2.1');
      expect([decision.tier, decision.key, decision.limit, decision.remaining]).toEqual([
        tier,
        key,
        limit,
        limit - 1,
      ]);
    }
    // The IPv4 address seen through an IPv6 socket is the same anonymous caller.
    expect((await limiter.charge(anonymous, 10, '::ffff:192.0.2.1')).allowed).toBe(true);
    expect((await limiter.charge(anonymous, 1, '192.0.2.1')).allowed).toBe(false);
    expect((await limiter.charge(anonymous, 1, '192.0.2.2')).allowed).toBe(true);
  });

  it('asks the store for the principal key under the key prefix', async () => {
    const { store, taken } = switchableStore();
    await limiterOn(store).limiter.charge(userPrincipal('prefixed'), 1, undefined);
    await limiterOn(store, { keyPrefix: 'tenant-a:' }).limiter.charge(anonymous, 1, '10.0.0.9');
    expect(taken).toEqual(['ratelimit:user:prefixed', 'tenant-a:ip:10.0.0.9']);
  });

  it('rejects a negative or non-finite cost as a programming error', async () => {
    const { limiter } = limiterOn(memoryTokenBuckets());
    await expect(limiter.charge(anonymous, -1, undefined)).rejects.toThrow(RangeError);
    await expect(limiter.charge(anonymous, Number.NaN, undefined)).rejects.toThrow(RangeError);
  });
});

describe('rate limiter when the shared store cannot decide', () => {
  it('decides in memory at once, without asking the store, while it is not ready', async () => {
    const { store, taken, set } = switchableStore();
    set('disconnected');
    const { limiter, registry } = limiterOn(store, { instanceCount: 2 });
    const decisions = [];
    for (let i = 0; i < 3; i++) {
      decisions.push(await limiter.charge(userPrincipal('offline'), 2, undefined));
    }
    // Each of the two processes gets half of the tier: 5 tokens.
    expect(decisions.map((d) => [d.source, d.allowed, d.limit, d.remaining])).toEqual([
      ['fallback', true, 5, 3],
      ['fallback', true, 5, 1],
      ['fallback', false, 5, 1],
    ]);
    expect(taken).toEqual([]);
    expect(await counted(registry, FALLBACKS, { reason: 'disconnected' })).toBe(3);
  });

  it('decides in memory when the store fails the charge', async () => {
    const { store, set } = switchableStore();
    set('failing');
    const { limiter, registry } = limiterOn(store);
    const decision = await limiter.charge(userPrincipal('failed'), 4, undefined);
    expect(decision).toMatchObject({ source: 'fallback', allowed: true, remaining: 6 });
    expect(await counted(registry, FALLBACKS, { reason: 'error' })).toBe(1);
  });

  it('decides in memory when the store does not answer within the timeout', async () => {
    const { store, set } = switchableStore();
    set('silent');
    const { limiter, registry } = limiterOn(store);
    const started = performance.now();
    const decision = await limiter.charge(userPrincipal('frozen'), 1, undefined);
    expect(decision).toMatchObject({ source: 'fallback', allowed: true });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await counted(registry, FALLBACKS, { reason: 'timeout' })).toBe(1);
    expect(await counted(registry, FALLBACKS, { reason: 'error' })).toBe(0);
  });

  it("lets a cost within the tier but above this process's share pass once, and never one above the tier", async () => {
    const { store, set } = switchableStore();
    set('disconnected');
    const { limiter } = limiterOn(store, { instanceCount: 2 });
    const first = await limiter.charge(userPrincipal('share'), 8, undefined);
    const second = await limiter.charge(userPrincipal('share'), 8, undefined);
    const huge = await limiter.charge(userPrincipal('huge'), 11, undefined);
    expect([first.allowed, first.remaining, second.allowed]).toEqual([true, 0, false]);
    expect(huge).toMatchObject({ source: 'fallback', allowed: false, retryAfterSeconds: null });
  });

  it("keeps an API key's cap while deciding in memory, with this process's share of it", async () => {
    const { store, set } = switchableStore();
    set('disconnected');
    const { limiter } = limiterOn(store, {
      instanceCount: 2,
      apiKeyCap: { capacity: 4, refillPerSecond: SLOW },
    });
    // This process's shares: 5 of the owner's 10, 2 of the key's cap of 4.
    expect(await limiter.charge(apiKey('capped'), 2, undefined)).toMatchObject({
      source: 'fallback',
      allowed: true,
      limit: 2,
      remaining: 0,
    });
    expect((await limiter.charge(apiKey('capped'), 1, undefined)).allowed).toBe(false);
    expect((await limiter.charge(apiKey('other-key'), 2, undefined)).allowed).toBe(true);
  });

  it('logs the outage once however many charges it lasts, and the recovery once', async () => {
    const { store, set } = switchableStore();
    const { limiter, records } = limiterOn(store);
    const charge = () => limiter.charge(userPrincipal('outage'), 1, undefined);

    expect((await charge()).source).toBe('redis');
    set('disconnected');
    await charge();
    set('failing');
    await charge();
    set('silent');
    await charge();
    expect(records).toEqual([{ level: 'warn', message: expect.stringMatching(/unreachable/) }]);

    set('up');
    const back = await charge();
    await charge();
    expect(back.source).toBe('redis');
    // The shared bucket was not charged during the outage: 10 - 1 - 2.
    expect(back.remaining).toBe(8);
    expect(records.map((record) => record.level)).toEqual(['warn', 'info']);
    expect(records[1]!.message).toMatch(/reachable again/);
  });

  it('shows on gateway_rate_limit_shared whether decisions are shared: 1, 0 in an outage, 1 again', async () => {
    const { store, set } = switchableStore();
    const { limiter, registry } = limiterOn(store);
    const charge = () => limiter.charge(userPrincipal('gauge'), 1, undefined);
    expect(await counted(registry, SHARED)).toBe(1);
    await charge();
    expect(await counted(registry, SHARED)).toBe(1);
    set('failing');
    await charge();
    expect(await counted(registry, SHARED)).toBe(0);
    set('silent');
    await charge();
    expect(await counted(registry, SHARED)).toBe(0);
    set('up');
    await charge();
    expect(await counted(registry, SHARED)).toBe(1);
  });
});
