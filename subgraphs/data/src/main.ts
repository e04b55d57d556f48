import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';
import { loadDataConfig } from './config.js';
import { startDataSubgraph } from './subgraph.js';

const config = loadDataConfig();
const logger = createLogger('data-subgraph', { level: config.LOG_LEVEL });
const subgraph = await startDataSubgraph(config, logger);
runUntilSignalled(logger, subgraph.stop);
