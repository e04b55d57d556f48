import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ResilienceMetrics {
  /** `gateway_subgraph_failures_total{subgraph, reason}` */
  failures: Counter<'subgraph' | 'reason'>;
  /** `gateway_subgraph_breaker_open{subgraph}`: 1 while the breaker refuses or tries requests. */
  breakerOpen: Gauge<'subgraph'>;
  /**
   * `gateway_subgraph_fetch_duration_seconds{subgraph, outcome}`: one subgraph fetch, retries
   * included; outcome `success`, or why it gave up (`timeout`, `network`, `bad_status`,
   * `breaker_open`), or `error` for anything else.
   */
  fetchDuration: Histogram<'subgraph' | 'outcome'>;
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
    fetchDuration: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: 'Subgraph fetches (retries included) by subgraph and outcome (success, timeout, network, bad_status, breaker_open, error)',
      labelNames: ['subgraph', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
