import { z } from 'zod';
import type { SettingsOf } from '@platform/config';
import type { TierLimits } from './tiers.js';
import type { BucketLimits } from './token-bucket.js';

const capacity = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const refillPerSecond = (fallback: number) => z.coerce.number().positive().default(fallback);

/**
 * The rate limiter's environment variables, a shape to `.extend` the gateway's config schema with.
 * Capacity is the most a caller can spend at once (a burst), refill the sustained rate in cost
 * units per second.
 *
 * The user tier is sized from the real operations (priced by the gateway's cost model): the
 * dashboard (bench/src/query.ts) costs 214 with the benchmark's page sizes and up to about 350
 * with fuller pages, the SDK's heaviest query `NotificationsSince` 300, everything else 1-83. A
 * person clicking around (one heavy operation a second, bursts of 30 within a few seconds) needs
 * a refill of at least 350/s and a burst of 30 x 350 = 10,500 less what refills meanwhile: 12,000
 * and 400/s hold 56 dashboards of 214 (34 of 350) at once and one every 0.55 s (0.9 s)
 * sustained. A script sending 10 dashboards a second is refused after 4-7 s, one sending as
 * fast as the gateway answers within a second or two. Anonymous callers (sign-up, login: 12 each,
 * public fields) and admins are sized the same way.
 */
export const rateLimitSettings = {
  /** Token bucket size (cost units) of a caller without a credential, per client address. */
  RATE_LIMIT_ANONYMOUS_CAPACITY: capacity(200),
  /** Cost units per second an anonymous caller's bucket refills. */
  RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND: refillPerSecond(20),
  /** Token bucket size (cost units) of a signed-in user. */
  RATE_LIMIT_USER_CAPACITY: capacity(12_000),
  /** Cost units per second a user's bucket refills. */
  RATE_LIMIT_USER_REFILL_PER_SECOND: refillPerSecond(400),
  /** Token bucket size (cost units) of a platform admin. */
  RATE_LIMIT_ADMIN_CAPACITY: capacity(60_000),
  /** Cost units per second an admin's bucket refills. */
  RATE_LIMIT_ADMIN_REFILL_PER_SECOND: refillPerSecond(2000),
  /**
   * An optional cap on each API key, charged besides its owner's budget (both must hold the
   * cost): a script on one key can then not spend all of its user's budget. 0: no cap, a key
   * spends its owner's budget only.
   */
  RATE_LIMIT_API_KEY_CAPACITY: z.coerce.number().int().min(0).default(0),
  /** Cost units per second an API key's bucket refills. */
  RATE_LIMIT_API_KEY_REFILL_PER_SECOND: refillPerSecond(200),
  /**
   * What a response answered from the cache costs, as a share of its price (at least 1 token):
   * it spares the subgraphs, so it costs less, but never nothing.
   */
  RATE_LIMIT_CACHE_HIT_SHARE: z.coerce.number().positive().max(1).default(0.1),
  /**
   * A Redis answer slower than this is treated as an outage: that decision is made locally.
   * Measured on the 2-core development machine under load (load average 7-10, other services
   * busy), from the call to the answer, for simultaneous bucket charges: p99 20-45 ms for 2,000,
   * 47-89 ms for 5,000 (gateway/README.md, "Rate limit"). 250 ms is about three times the worst
   * p99 seen, and a Redis that does not answer at all costs a request at most that.
   */
  RATE_LIMIT_REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(250),
  /** Gateway processes sharing the budget; without Redis each allows 1/N of every tier. */
  RATE_LIMIT_INSTANCE_COUNT: z.coerce.number().int().min(1).default(1),
  /** What starting one subscription costs. */
  SUBSCRIPTION_START_COST: z.coerce.number().int().min(0).default(10),
};

export type RateLimitSettings = SettingsOf<typeof rateLimitSettings>;

export interface RateLimitConfig {
  tiers: TierLimits;
  /** Each API key's own bucket, besides its owner's; undefined: none. */
  apiKeyCap: BucketLimits | undefined;
  /** The share of its price a cache hit is charged (see `cacheHitCost`). */
  cacheHitShare: number;
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
      admin: {
        capacity: settings.RATE_LIMIT_ADMIN_CAPACITY,
        refillPerSecond: settings.RATE_LIMIT_ADMIN_REFILL_PER_SECOND,
      },
    },
    apiKeyCap:
      settings.RATE_LIMIT_API_KEY_CAPACITY > 0
        ? {
            capacity: settings.RATE_LIMIT_API_KEY_CAPACITY,
            refillPerSecond: settings.RATE_LIMIT_API_KEY_REFILL_PER_SECOND,
          }
        : undefined,
    cacheHitShare: settings.RATE_LIMIT_CACHE_HIT_SHARE,
    redisTimeoutMs: settings.RATE_LIMIT_REDIS_TIMEOUT_MS,
    instanceCount: settings.RATE_LIMIT_INSTANCE_COUNT,
    subscriptionStartCost: settings.SUBSCRIPTION_START_COST,
  };
}
