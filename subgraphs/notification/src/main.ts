import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';
import { loadNotificationConfig } from './config.js';
import { startNotificationSubgraph } from './subgraph.js';

const config = loadNotificationConfig();
const logger = createLogger('notification-subgraph', { level: config.LOG_LEVEL });
const subgraph = await startNotificationSubgraph(config, logger);
runUntilSignalled(logger, subgraph.stop);
