import { OperationTypeNode } from 'graphql';
import {
  authorizeRootFields,
  type AnonymousAccess,
  type PublicRootFields,
} from '../auth/authorize-operation.js';
import type { RequestPrincipal } from '../auth/request-principal.js';
import { checkLimits, type CostLimits } from '../cost/limits.js';
import { rateLimitHeaders, type RateLimiter } from '../rate-limit/index.js';
import type { FastPathGate } from './fast-path.js';

export interface GatewayFastPathGateOptions {
  principalOf: RequestPrincipal;
  publicRootFields: PublicRootFields;
  anonymousAccess: AnonymousAccess;
  costLimits: CostLimits;
  rateLimiter: RateLimiter;
  /**
   * What a hit of this stored price is charged (the rate limiter's `cacheHitCost` with
   * RATE_LIMIT_CACHE_HIT_SHARE in the gateway); default: the whole price, at least one token.
   */
  hitCost?: (price: number) => number;
}

/**
 * The gateway's steps, for the fast path, in the normal path's order: authenticate (the request's
 * one authentication), authorize (authorizeRootFields, on the stored root fields), the cost limits
 * (checkLimits, on the stored measure), the rate limit (the one limiter, charged `hitCost` of the
 * stored price, at least one token so no hit is free) and the cost extension the cost step adds to responses.
 */
export function gatewayFastPathGate({
  principalOf,
  publicRootFields,
  anonymousAccess,
  costLimits,
  rateLimiter,
  hitCost = (price) => Math.max(1, price),
}: GatewayFastPathGateOptions): FastPathGate {
  return {
    principalOf,
    admits(principal, { rootFieldNames, measure }) {
      try {
        authorizeRootFields(principal, OperationTypeNode.QUERY, {
          rootFields: () => rootFieldNames,
          publicRootFields,
          anonymousAccess,
        });
      } catch {
        return false;
      }
      return checkLimits(measure, costLimits) === undefined;
    },
    async charge(principal, { measure }, clientIp) {
      const decision = await rateLimiter.charge(principal, hitCost(measure.cost), clientIp);
      return decision.allowed ? rateLimitHeaders(decision) : undefined;
    },
    extensionsOf: ({ measure }) => ({
      cost: { requested: measure.cost, limit: costLimits.maxCost },
    }),
  };
}
