import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { rateLimitConfig, rateLimitSettings } from './config.js';

const schema = z.object(rateLimitSettings).transform(rateLimitConfig);

describe('rate limit config', () => {
  it('applies the default tiers, timeout, instance count and subscription start cost', () => {
    expect(loadConfig(schema, {})).toEqual({
      tiers: {
        anonymous: { capacity: 200, refillPerSecond: 20 },
        user: { capacity: 5000, refillPerSecond: 100 },
        apiKey: { capacity: 10000, refillPerSecond: 200 },
        admin: { capacity: 50000, refillPerSecond: 1000 },
      },
      redisTimeoutMs: 50,
      instanceCount: 1,
      subscriptionStartCost: 10,
    });
  });

  it('reads each tier from its variables', () => {
    const config = loadConfig(schema, {
      RATE_LIMIT_API_KEY_CAPACITY: '300',
      RATE_LIMIT_API_KEY_REFILL_PER_SECOND: '2.5',
      RATE_LIMIT_INSTANCE_COUNT: '4',
      SUBSCRIPTION_START_COST: '0',
    });
    expect(config.tiers.apiKey).toEqual({ capacity: 300, refillPerSecond: 2.5 });
    expect(config).toMatchObject({ instanceCount: 4, subscriptionStartCost: 0 });
  });

  it('names every malformed variable', () => {
    expect(() =>
      loadConfig(schema, {
        RATE_LIMIT_USER_CAPACITY: '0',
        RATE_LIMIT_ADMIN_REFILL_PER_SECOND: 'fast',
        RATE_LIMIT_INSTANCE_COUNT: '1.5',
      }),
    ).toThrow(
      /RATE_LIMIT_USER_CAPACITY: [\s\S]*RATE_LIMIT_ADMIN_REFILL_PER_SECOND: [\s\S]*RATE_LIMIT_INSTANCE_COUNT: /,
    );
  });
});
