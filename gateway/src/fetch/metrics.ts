import { Counter, type Registry } from 'prom-client';

export interface FetchMetrics {
  /** `gateway_subgraph_fetches_shared_total{subgraph}`: requests answered by an identical one. */
  sharedFetches: Counter<'subgraph'>;
  /** `gateway_entity_representations_deduplicated_total{subgraph}`: representations not sent. */
  duplicateRepresentations: Counter<'subgraph'>;
  /** `gateway_operations_shared_total`: client operations answered by an identical one's run. */
  sharedOperations: Counter;
}

/** What the gateway saves by sending less, on its registry (served on /metrics). */
export function createFetchMetrics(registry: Registry): FetchMetrics {
  const registers = [registry];
  return {
    sharedFetches: new Counter({
      name: 'gateway_subgraph_fetches_shared_total',
      help: 'Subgraph requests answered by an identical request already in flight',
      labelNames: ['subgraph'],
      registers,
    }),
    duplicateRepresentations: new Counter({
      name: 'gateway_entity_representations_deduplicated_total',
      help: 'Entity representations left out of _entities fetches because an identical one was sent',
      labelNames: ['subgraph'],
      registers,
    }),
    sharedOperations: new Counter({
      name: 'gateway_operations_shared_total',
      help: 'Client queries answered by an identical query already executing (OPERATION_DEDUP_ENABLED)',
      registers,
    }),
  };
}
