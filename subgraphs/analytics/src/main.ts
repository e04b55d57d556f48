import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';
import { loadAnalyticsConfig } from './config.js';
import { startAnalyticsSubgraph } from './subgraph.js';

const config = loadAnalyticsConfig();
const logger = createLogger('analytics-subgraph', { level: config.LOG_LEVEL });
const subgraph = await startAnalyticsSubgraph(config, logger);
runUntilSignalled(logger, subgraph.stop);
