import { createLogger } from '@platform/logger';
import { runService } from '@platform/subgraph-server';
import { loadAnalyticsConfig } from './config.js';
import { startAnalyticsSubgraph } from './subgraph.js';

const config = loadAnalyticsConfig();
const logger = createLogger('analytics-subgraph', { level: config.LOG_LEVEL });
// Besides HTTP each process runs a Kafka consumer. All processes of all replicas join one group
// (KAFKA_GROUP_ID), so Kafka gives each partition to one of them and each event is rolled up once;
// a redelivery after a rebalance changes nothing (handlers are idempotent by event id).
// Migrations at start-up hold an advisory lock, so N workers starting at once migrate once.
await runService({
  logger,
  workerProcesses: config.WORKER_PROCESSES,
  start: () => startAnalyticsSubgraph(config, logger),
});
