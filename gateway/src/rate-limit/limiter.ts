import type { Principal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import { TIMED_OUT, redisOutage, withinDeadline } from '../redis/index.js';
import type { BucketCharge, ChargeOutcome, TokenBucketStore } from './bucket-store.js';
import { fallbackBuckets } from './fallback-buckets.js';
import type { FallbackReason, RateLimitMetrics, RateLimitOutcome } from './metrics.js';
import type { BucketLimits } from './token-bucket.js';
import {
  RATE_LIMIT_TIERS,
  apiKeyCapKey,
  principalKey,
  tierOf,
  type RateLimitTier,
  type TierLimits,
} from './tiers.js';

/** What the limiter decided for one charge, and the numbers behind the RateLimit-* headers. */
export interface RateLimitDecision extends Omit<ChargeOutcome, 'binding'> {
  tier: RateLimitTier;
  /** Whose budget was charged: `user:<id>` (for their tokens and API keys) or `ip:<address>`. */
  key: string;
  cost: number;
  /** The capacity of the tightest bucket charged (the user's, or the API key's own cap). */
  limit: number;
  /** `redis`: the budget shared by every gateway; `fallback`: this process's share of it. */
  source: 'redis' | 'fallback';
}

export interface RateLimiter {
  /**
   * Charges `cost` tokens to the caller's bucket (`clientIp` identifies anonymous callers). Never
   * rejects for an outage: without Redis the per-process fallback decides.
   */
  charge(
    principal: Principal,
    cost: number,
    clientIp: string | undefined,
  ): Promise<RateLimitDecision>;
}

export interface RateLimiterOptions {
  /**
   * The buckets shared by every gateway process: `redisTokenBucket` on the `rate-limit` connection
   * (`connectRedis`: commands fail at once while it is down), `memoryTokenBuckets` in unit tests.
   */
  buckets: TokenBucketStore;
  tiers: TierLimits;
  /**
   * Each API key's own bucket, charged besides its owner's (both must hold the cost): a cap on
   * one key below the user's budget. Undefined: keys spend only their owner's budget.
   */
  apiKeyCap?: BucketLimits | undefined;
  logger: Logger;
  metrics: RateLimitMetrics;
  /** A shared store (Redis) answer slower than this counts as an outage for that decision. */
  redisTimeoutMs: number;
  /** Gateway processes sharing the budget: the fallback gives each 1/instanceCount of it. */
  instanceCount: number;
  /** Prefix of the bucket keys in the shared store. */
  keyPrefix?: string;
  /** Buckets the fallback keeps in memory. */
  fallbackMaxKeys?: number;
}

type SharedAttempt =
  { ok: true; outcome: ChargeOutcome } | { ok: false; reason: FallbackReason; error?: unknown };

/**
 * Token buckets per principal in the shared store (Redis: one Lua script), charged the operation's
 * cost atomically, so every gateway process spends the same budget. When the store is not ready,
 * fails or is slower than `redisTimeoutMs`, the decision is made in memory with each tier's limits
 * divided by `instanceCount`; the switch is logged once per outage (warn) and the recovery once
 * (info), and `gateway_rate_limit_shared` is 0 while it lasts.
 */
export function createRateLimiter({
  buckets,
  tiers,
  apiKeyCap,
  logger,
  metrics,
  redisTimeoutMs,
  instanceCount,
  keyPrefix = 'ratelimit:',
  fallbackMaxKeys = 10_000,
}: RateLimiterOptions): RateLimiter {
  for (const tier of RATE_LIMIT_TIERS) checkLimits(tier, tiers[tier]);
  if (apiKeyCap) checkLimits('apiKeyCap', apiKeyCap);
  if (!Number.isInteger(instanceCount) || instanceCount < 1) {
    throw new RangeError(`instanceCount must be a whole number >= 1, got ${instanceCount}`);
  }
  const localBuckets = fallbackBuckets(fallbackMaxKeys);
  const localTiers = Object.fromEntries(
    RATE_LIMIT_TIERS.map((tier) => [tier, shareOf(tiers[tier], instanceCount)]),
  ) as Record<RateLimitTier, BucketLimits>;
  const localApiKeyCap = apiKeyCap && shareOf(apiKeyCap, instanceCount);

  // Its `failures` are the decisions the fallback made during the outage.
  const outage = redisOutage(logger, {
    down: 'rate limiter: Redis is unreachable; limiting per process (tier limits / instanceCount)',
    up: 'rate limiter: Redis is reachable again; limits are shared across gateways again',
  });

  async function inSharedStore(
    charges: readonly BucketCharge[],
    cost: number,
  ): Promise<SharedAttempt> {
    if (!buckets.ready()) return { ok: false, reason: 'disconnected' };
    try {
      const prefixed = charges.map((charge) => ({ ...charge, key: keyPrefix + charge.key }));
      const outcome = await withinDeadline(buckets.take(prefixed, cost), redisTimeoutMs);
      return outcome === TIMED_OUT ? { ok: false, reason: 'timeout' } : { ok: true, outcome };
    } catch (error) {
      return { ok: false, reason: 'error', error };
    }
  }

  function noteFallback(attempt: Extract<SharedAttempt, { ok: false }>): void {
    metrics.fallbacks.inc({ reason: attempt.reason });
    metrics.shared.set(0);
    outage.failed({ reason: attempt.reason, err: attempt.error, instanceCount });
  }

  return {
    async charge(principal, cost, clientIp) {
      if (!Number.isFinite(cost) || cost < 0) {
        throw new RangeError(`a rate limit cost must be a finite number >= 0, got ${cost}`);
      }
      const tier = tierOf(principal);
      const key = principalKey(principal, clientIp);
      const capKey = apiKeyCap && apiKeyCapKey(principal);
      const charges: BucketCharge[] = [{ key, limits: tiers[tier] }];
      if (capKey && apiKeyCap) charges.push({ key: capKey, limits: apiKeyCap });
      const attempt = await inSharedStore(charges, cost);
      let decision: RateLimitDecision;
      if (attempt.ok) {
        metrics.shared.set(1);
        outage.answered();
        const { binding, ...outcome } = attempt.outcome;
        const limit = charges[binding]!.limits.capacity;
        decision = { ...outcome, tier, key, cost, limit, source: 'redis' };
      } else {
        noteFallback(attempt);
        const local: BucketCharge[] = [{ key, limits: localTiers[tier] }];
        if (capKey && localApiKeyCap) local.push({ key: capKey, limits: localApiKeyCap });
        // A cost the shared buckets could take but this process's smaller shares cannot passes
        // when the local buckets are full, and empties them; one above a capacity never does.
        const overCapacity = charges.some((charge) => cost > charge.limits.capacity);
        const smallest = Math.min(...local.map((charge) => charge.limits.capacity));
        const charged = overCapacity ? cost : Math.min(cost, smallest);
        const { binding, ...outcome } = localBuckets.take(local, charged);
        const limit = local[binding]!.limits.capacity;
        decision = { ...outcome, tier, key, cost, limit, source: 'fallback' };
      }
      metrics.decisions.inc({ tier, outcome: outcomeOf(decision) });
      return decision;
    },
  };
}

function outcomeOf(decision: RateLimitDecision): RateLimitOutcome {
  if (decision.allowed) return 'allowed';
  return decision.retryAfterSeconds === null ? 'over_capacity' : 'limited';
}

/** One process's share of a tier: whole tokens (at least one), refilled at its share of the rate. */
function shareOf(limits: BucketLimits, instanceCount: number): BucketLimits {
  return {
    capacity: Math.max(1, Math.floor(limits.capacity / instanceCount)),
    refillPerSecond: limits.refillPerSecond / instanceCount,
  };
}

function checkLimits(tier: RateLimitTier | 'apiKeyCap', limits: BucketLimits | undefined): void {
  if (
    !limits ||
    !Number.isInteger(limits.capacity) ||
    limits.capacity < 1 ||
    !Number.isFinite(limits.refillPerSecond) ||
    limits.refillPerSecond <= 0
  ) {
    throw new RangeError(
      `rate limit tier "${tier}" needs a whole capacity >= 1 and a refill per second > 0, got ${JSON.stringify(limits)}`,
    );
  }
}
