import { createLogger } from '@platform/logger';
import { runService } from '@platform/subgraph-server';
import { loadUserConfig } from './config.js';
import { startUserSubgraph } from './subgraph.js';

const config = loadUserConfig();
const logger = createLogger('user-subgraph', { level: config.LOG_LEVEL });
// Besides HTTP each process runs an outbox relay. With WORKER_PROCESSES > 1 (or replicas) several
// relays may read the same unpublished rows and publish an event twice before one marks it:
// delivery is at least once by design and every consumer dedupes by event id (see
// repositories/outbox.ts). Migrations at start-up hold an advisory lock, so N workers starting at
// once migrate once.
await runService({
  logger,
  workerProcesses: config.WORKER_PROCESSES,
  start: () => startUserSubgraph(config, logger),
});
