import { z } from 'zod';
import type { SettingsOf } from '@platform/config';
import type { TierLimits } from './tiers.js';

const capacity = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const refillPerSecond = (fallback: number) => z.coerce.number().positive().default(fallback);

/**
 * The rate limiter's environment variables, a shape to `.extend` the gateway's config schema with.
 * Capacity is the most a caller can spend at once (a burst), refill the sustained rate in cost
 * units per second.
 */
export const rateLimitSettings = {
  RATE_LIMIT_ANONYMOUS_CAPACITY: capacity(200),
  RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND: refillPerSecond(20),
  RATE_LIMIT_USER_CAPACITY: capacity(5000),
  RATE_LIMIT_USER_REFILL_PER_SECOND: refillPerSecond(100),
  RATE_LIMIT_API_KEY_CAPACITY: capacity(10000),
  RATE_LIMIT_API_KEY_REFILL_PER_SECOND: refillPerSecond(200),
  RATE_LIMIT_ADMIN_CAPACITY: capacity(50000),
  RATE_LIMIT_ADMIN_REFILL_PER_SECOND: refillPerSecond(1000),
  /** A Redis answer slower than this is treated as an outage: that decision is made locally. */
  RATE_LIMIT_REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(50),
  /** Gateway processes sharing the budget; without Redis each allows 1/N of every tier. */
  RATE_LIMIT_INSTANCE_COUNT: z.coerce.number().int().min(1).default(1),
  /** What starting one subscription costs. */
  SUBSCRIPTION_START_COST: z.coerce.number().int().min(0).default(10),
};

export type RateLimitSettings = SettingsOf<typeof rateLimitSettings>;

export interface RateLimitConfig {
  tiers: TierLimits;
  redisTimeoutMs: number;
  instanceCount: number;
  subscriptionStartCost: number;
}

/** The limiter's options from the validated variables. */
export function rateLimitConfig(settings: RateLimitSettings): RateLimitConfig {
  return {
    tiers: {
      anonymous: {
        capacity: settings.RATE_LIMIT_ANONYMOUS_CAPACITY,
        refillPerSecond: settings.RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND,
      },
      user: {
        capacity: settings.RATE_LIMIT_USER_CAPACITY,
        refillPerSecond: settings.RATE_LIMIT_USER_REFILL_PER_SECOND,
      },
      apiKey: {
        capacity: settings.RATE_LIMIT_API_KEY_CAPACITY,
        refillPerSecond: settings.RATE_LIMIT_API_KEY_REFILL_PER_SECOND,
      },
      admin: {
        capacity: settings.RATE_LIMIT_ADMIN_CAPACITY,
        refillPerSecond: settings.RATE_LIMIT_ADMIN_REFILL_PER_SECOND,
      },
    },
    redisTimeoutMs: settings.RATE_LIMIT_REDIS_TIMEOUT_MS,
    instanceCount: settings.RATE_LIMIT_INSTANCE_COUNT,
    subscriptionStartCost: settings.SUBSCRIPTION_START_COST,
  };
}
