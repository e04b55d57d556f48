import { inSpan } from '@platform/telemetry';
import type { RateLimiter } from '../rate-limit/index.js';

/**
 * The rate-limit decision as a span of the request's trace, `gateway.rate_limit`: what was
 * charged, whether it was allowed and what is left. Wraps the limiter itself, so every charge
 * (HTTP operations, the cache's fast path, subscription starts) is traced the same way.
 */
export function tracedRateLimiter(limiter: RateLimiter): RateLimiter {
  return {
    charge: (principal, cost, clientIp) =>
      inSpan(
        '@platform/gateway',
        'gateway.rate_limit',
        { attributes: { 'platform.rate_limit.cost': cost } },
        async (span) => {
          const decision = await limiter.charge(principal, cost, clientIp);
          span.setAttributes({
            'platform.rate_limit.allowed': decision.allowed,
            'platform.rate_limit.decision': decision.allowed ? 'allowed' : 'refused',
            'platform.rate_limit.tier': decision.tier,
            'platform.rate_limit.remaining': decision.remaining,
            'platform.rate_limit.limit': decision.limit,
            'platform.rate_limit.source': decision.source,
          });
          return decision;
        },
      ),
  };
}
