import { Counter, Gauge, type Registry } from 'prom-client';

export type RateLimitOutcome = 'allowed' | 'limited' | 'over_capacity';
/** Why a decision was made without Redis. */
export type FallbackReason = 'disconnected' | 'timeout' | 'error';

export interface RateLimitMetrics {
  /** Every decision by tier and outcome (allowed, limited, over_capacity: cost above capacity). */
  decisions: Counter<'tier' | 'outcome'>;
  /** Decisions made by the per-process fallback because Redis could not be used. */
  fallbacks: Counter<'reason'>;
  /**
   * 1 while decisions are made on the buckets every gateway shares (Redis), 0 while this process
   * decides alone (the fallback): the alert that limits have stopped being shared.
   */
  shared: Gauge;
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
    shared: sharedGauge(registers),
  };
}

function sharedGauge(registers: Registry[]): Gauge {
  const gauge = new Gauge({
    name: 'gateway_rate_limit_shared',
    help: 'Whether rate limit decisions are shared across gateways (1) or made per process because Redis could not be used (0)',
    registers,
  });
  gauge.set(1);
  return gauge;
}
