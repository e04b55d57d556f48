import { Counter, type Registry } from 'prom-client';

export type RateLimitOutcome = 'allowed' | 'limited' | 'over_capacity';
/** Why a decision was made without Redis. */
export type FallbackReason = 'disconnected' | 'timeout' | 'error';

export interface RateLimitMetrics {
  /** Every decision by tier and outcome (allowed, limited, over_capacity: cost above capacity). */
  decisions: Counter<'tier' | 'outcome'>;
  /** Decisions made by the per-process fallback because Redis could not be used. */
  fallbacks: Counter<'reason'>;
}

/** The limiter's counters, registered on the gateway's registry (served on /metrics). */
export function createRateLimitMetrics(registry: Registry): RateLimitMetrics {
  const registers = [registry];
  return {
    decisions: new Counter({
      name: 'gateway_rate_limit_decisions_total',
      help: 'Rate limit decisions by tier and outcome (allowed, limited, over_capacity)',
      labelNames: ['tier', 'outcome'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'gateway_rate_limit_fallback_total',
      help: 'Rate limit decisions made per process because Redis was unreachable, by reason',
      labelNames: ['reason'],
      registers,
    }),
  };
}
