import { createLogger } from '@platform/logger';
import { runService } from '@platform/subgraph-server';
import { loadDataConfig } from './config.js';
import { startDataSubgraph } from './subgraph.js';

const config = loadDataConfig();
const logger = createLogger('data-subgraph', { level: config.LOG_LEVEL });
// Besides HTTP each process runs an outbox relay and its stale-intent reconciler. Several relays
// are safe (repositories/outbox.ts): every outbox step is an insert guarded by a unique _id or a
// delete by _id, relays all write the same `published` values, and an event published twice is
// deduped by its id downstream. createIndex of an existing index is a no-op, so N workers
// starting at once agree.
await runService({
  logger,
  workerProcesses: config.WORKER_PROCESSES,
  start: () => startDataSubgraph(config, logger),
});
