import type { ApolloServerPlugin } from '@apollo/server';
import type { Principal } from '@platform/identity';
import { rateLimitedError, rateLimitHeaders } from './headers.js';
import type { RateLimitDecision, RateLimiter } from './limiter.js';

export interface RateLimitPluginOptions<TContext> {
  limiter: RateLimiter;
  /** The operation's cost, recorded by the cost step before this plugin's didResolveOperation. */
  getCost: (contextValue: TContext) => number | Promise<number>;
  getPrincipal: (contextValue: TContext) => Principal;
  getClientIp: (contextValue: TContext) => string | undefined;
  /** Operations that are not charged (none by default). */
  isExempt?: (contextValue: TContext) => boolean;
}

/** Each request's charge, by its context object. */
const charges = new WeakMap<object, Promise<RateLimitDecision>>();

/**
 * Charges every operation's cost to the caller's token bucket once the operation is resolved
 * (parsed, validated, priced), refuses it with 429 RATE_LIMITED when the bucket cannot pay, and
 * puts the RateLimit-* headers on every response that was charged.
 *
 * Apollo Server runs all plugins' didResolveOperation hooks together, starting them in plugin
 * order: list the cost plugin first and have it record the cost before its first `await` (or
 * record a promise of it and return that from `getCost`).
 */
export function rateLimitPlugin<TContext extends object>({
  limiter,
  getCost,
  getPrincipal,
  getClientIp,
  isExempt = () => false,
}: RateLimitPluginOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          if (isExempt(contextValue)) return;
          const charging = (async () =>
            limiter.charge(
              getPrincipal(contextValue),
              await getCost(contextValue),
              getClientIp(contextValue),
            ))();
          charges.set(contextValue, charging);
          const decision = await charging;
          if (!decision.allowed) throw rateLimitedError(decision);
        },
        async willSendResponse({ contextValue, response }) {
          // Another step may have refused the request while the charge was still running.
          const decision = await charges.get(contextValue)?.catch(() => undefined);
          if (!decision) return;
          for (const [name, value] of Object.entries(rateLimitHeaders(decision))) {
            response.http.headers.set(name, value);
          }
        },
      };
    },
  };
}
