import type { Counter } from 'prom-client';

/**
 * Every repository reaches MongoDB through this function, so one round trip is one count in
 * `data_store_queries_total`, whichever repository sent it.
 */
export type StoreQuery = <Result>(
  collection: { collectionName: string },
  operation: string,
  run: () => Promise<Result>,
) => Promise<Result>;

export function countedStoreQuery(counter: Counter<'collection' | 'operation'>): StoreQuery {
  return (collection, operation, run) => {
    counter.inc({ collection: collection.collectionName, operation });
    return run();
  };
}
