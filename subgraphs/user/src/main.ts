import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';
import { loadUserConfig } from './config.js';
import { startUserSubgraph } from './subgraph.js';

const config = loadUserConfig();
const logger = createLogger('user-subgraph', { level: config.LOG_LEVEL });
const subgraph = await startUserSubgraph(config, logger);
runUntilSignalled(logger, subgraph.stop);
