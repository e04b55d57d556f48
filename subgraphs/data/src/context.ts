import type { RequestContext } from '@platform/subgraph-server';
import { createEntityLoaders } from './domain/entity-loaders.js';
import type { DataRequest } from './domain/request.js';
import type { DataMetrics } from './metrics.js';
import type { Repositories } from './repositories/index.js';

/** What every resolver of the data subgraph receives. */
export type DataContext = RequestContext & DataRequest;

/** The per-request part of the context: shared repositories, fresh loaders. */
export function dataContextFactory(repositories: Repositories, metrics: DataMetrics) {
  return (_base: RequestContext): Omit<DataRequest, 'principal'> => ({
    repositories,
    loaders: createEntityLoaders(repositories, metrics.referenceBatches),
  });
}
