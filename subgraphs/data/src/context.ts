import type { RequestContext } from '@platform/subgraph-server';
import { outboxWriter } from './domain/outbox-writer.js';
import { createLoaders } from './loaders.js';
import type { DataRequest } from './domain/request-scope.js';
import type { DataMetrics } from './metrics.js';
import type { Repositories } from './repositories/index.js';

/** What every resolver of the data subgraph receives. */
export type DataContext = RequestContext & DataRequest;

/**
 * The per-request part of the context: shared repositories, fresh loaders, and the change events
 * of this request (`onEventEnqueued` wakes the relay after each).
 */
export function dataContextFactory(
  repositories: Repositories,
  metrics: DataMetrics,
  onEventEnqueued: () => void,
) {
  return (base: RequestContext): Omit<DataRequest, 'principal'> => ({
    repositories,
    loaders: createLoaders(repositories, metrics),
    events: outboxWriter(repositories, base.logger, onEventEnqueued),
  });
}
