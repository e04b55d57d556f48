import { Counter, Gauge, type Registry } from 'prom-client';

export interface ResilienceMetrics {
  /** `gateway_subgraph_failures_total{subgraph, reason}` */
  failures: Counter<'subgraph' | 'reason'>;
  /** `gateway_subgraph_breaker_open{subgraph}`: 1 while the breaker refuses or tries requests. */
  breakerOpen: Gauge<'subgraph'>;
}

/** The subgraph fetch metrics, on the gateway's registry (served on /metrics). */
export function createResilienceMetrics(registry: Registry): ResilienceMetrics {
  const registers = [registry];
  return {
    failures: new Counter({
      name: 'gateway_subgraph_failures_total',
      help: 'Failed subgraph fetch attempts (timeout, network, bad_status) and fetches refused by an open breaker (breaker_open)',
      labelNames: ['subgraph', 'reason'],
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'gateway_subgraph_breaker_open',
      help: "1 while a subgraph's circuit breaker is open or half-open, 0 when closed",
      labelNames: ['subgraph'],
      registers,
    }),
  };
}
