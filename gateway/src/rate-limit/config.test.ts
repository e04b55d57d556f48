import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { rateLimitConfig, rateLimitSettings } from './config.js';

const schema = z.object(rateLimitSettings).transform(rateLimitConfig);

describe('rate limit config', () => {
  it('applies the default tiers, cache hit share, timeout, instance count and subscription start cost', () => {
    expect(loadConfig(schema, {})).toEqual({
      tiers: {
        anonymous: { capacity: 200, refillPerSecond: 20 },
        user: { capacity: 12000, refillPerSecond: 400 },
        admin: { capacity: 60000, refillPerSecond: 2000 },
      },
      apiKeyCap: undefined,
      cacheHitShare: 0.1,
      redisTimeoutMs: 250,
      instanceCount: 1,
      subscriptionStartCost: 10,
    });
  });

  it('reads each tier from its variables', () => {
    const config = loadConfig(schema, {
      RATE_LIMIT_USER_CAPACITY: '300',
      RATE_LIMIT_USER_REFILL_PER_SECOND: '2.5',
      RATE_LIMIT_CACHE_HIT_SHARE: '0.25',
      RATE_LIMIT_INSTANCE_COUNT: '4',
      SUBSCRIPTION_START_COST: '0',
    });
    expect(config.tiers.user).toEqual({ capacity: 300, refillPerSecond: 2.5 });
    expect(
      rateLimitConfig({
        ...loadConfig(z.object(rateLimitSettings), {}),
        RATE_LIMIT_API_KEY_CAPACITY: 1000,
        RATE_LIMIT_API_KEY_REFILL_PER_SECOND: 10,
      }).apiKeyCap,
    ).toEqual({ capacity: 1000, refillPerSecond: 10 });
    expect(config).toMatchObject({
      cacheHitShare: 0.25,
      instanceCount: 4,
      subscriptionStartCost: 0,
    });
  });

  it('names every malformed variable', () => {
    expect(() =>
      loadConfig(schema, {
        RATE_LIMIT_USER_CAPACITY: '0',
        RATE_LIMIT_ADMIN_REFILL_PER_SECOND: 'fast',
        RATE_LIMIT_CACHE_HIT_SHARE: '1.5',
        RATE_LIMIT_INSTANCE_COUNT: '1.5',
      }),
    ).toThrow(
      /RATE_LIMIT_USER_CAPACITY: [\s\S]*RATE_LIMIT_ADMIN_REFILL_PER_SECOND: [\s\S]*RATE_LIMIT_CACHE_HIT_SHARE: [\s\S]*RATE_LIMIT_INSTANCE_COUNT: /,
    );
  });
});
