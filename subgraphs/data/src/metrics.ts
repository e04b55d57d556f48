import { Counter, type Registry } from 'prom-client';

/** The data subgraph's own Prometheus metrics, registered on the registry its server serves. */
export interface DataMetrics {
  /** One per DataLoader batch: a request resolving 50 documents by reference counts 1. */
  referenceBatches: Counter<'type'>;
  /** One per round trip to MongoDB, counted where the repositories call the driver. */
  storeQueries: Counter<'collection' | 'operation'>;
}

export function registerDataMetrics(registry: Registry): DataMetrics {
  return {
    referenceBatches: new Counter({
      name: 'data_reference_batches_total',
      help: 'Entity fetches batched by DataLoader, by entity type',
      labelNames: ['type'],
      registers: [registry],
    }),
    storeQueries: new Counter({
      name: 'data_store_queries_total',
      help: 'Queries sent to MongoDB, by collection and operation',
      labelNames: ['collection', 'operation'],
      registers: [registry],
    }),
  };
}
