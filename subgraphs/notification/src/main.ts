import { createLogger } from '@platform/logger';
import { runService } from '@platform/subgraph-server';
import { loadNotificationConfig } from './config.js';
import { startNotificationSubgraph } from './subgraph.js';

const config = loadNotificationConfig();
const logger = createLogger('notification-subgraph', { level: config.LOG_LEVEL });
// Besides HTTP each process runs a Kafka consumer. All processes of all replicas join one group
// (KAFKA_GROUP_ID), so each event is handled by one of them (idempotent by event id), which
// stores the notification and publishes it on Redis, where every gateway process listens.
// Migrations at start-up hold an advisory lock, so N workers starting at once migrate once.
await runService({
  logger,
  workerProcesses: config.WORKER_PROCESSES,
  start: () => startNotificationSubgraph(config, logger),
});
