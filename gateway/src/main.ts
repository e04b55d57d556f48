import { createLogger } from '@platform/logger';
import { runService } from '@platform/subgraph-server';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './server.js';

const config = loadGatewayConfig();
const logger = createLogger('gateway', { level: config.LOG_LEVEL });
// With WORKER_PROCESSES > 1 every process runs the whole gateway; what it runs besides HTTP:
// - graphql-ws sockets: a socket is one TCP connection, so it stays with the process that
//   accepted it, which subscribes to the Redis channels of its own subscribers;
// - the response cache's Kafka consumer: all processes share one consumer group, so each event
//   invalidates the shared Redis cache once (an in-process tier in front of Redis must instead
//   hear every invalidation in every process);
// - rate limits are atomic Lua in the shared Redis; the supergraph file is watched by each
//   process; documents, query plans, API key verdicts and breakers are per-process caches and
//   state, each bounded as it is with one process.
await runService({
  logger,
  workerProcesses: config.WORKER_PROCESSES,
  start: () => startGateway(config, logger),
});
