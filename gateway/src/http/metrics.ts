import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, served on the internal /metrics listener (metrics-endpoint.ts). */
export interface GatewayMetrics {
  registry: Registry;
  /**
   * Every /graphql HTTP request by outcome (success, rejected: 4xx, failed: 5xx) and HTTP status;
   * per operation: `gateway_operation_duration_seconds` (operation-metrics.ts).
   */
  requests: Counter<'outcome' | 'status'>;
  requestDuration: Histogram<'outcome'>;
  /** GraphQL errors in responses by `extensions.code`, including partial failures at 200. */
  graphqlErrors: Counter<'code'>;
  /** Requests sent to each subgraph. */
  subgraphRequests: Counter<'subgraph'>;
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'gateway_http_requests_total',
      help: 'GraphQL HTTP requests by outcome (success, rejected, failed) and status',
      labelNames: ['outcome', 'status'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'GraphQL HTTP request duration (whole requests, batches and streams included) by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    graphqlErrors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'GraphQL errors sent to clients by code',
      labelNames: ['code'],
      registers,
    }),
    subgraphRequests: new Counter({
      name: 'gateway_subgraph_requests_total',
      help: 'Requests sent to subgraphs',
      labelNames: ['subgraph'],
      registers,
    }),
  };
}
