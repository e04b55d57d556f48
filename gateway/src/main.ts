import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './server.js';

const config = loadGatewayConfig();
const logger = createLogger('gateway', { level: config.LOG_LEVEL });
const gateway = await startGateway(config, logger);
runUntilSignalled(logger, gateway.stop);
