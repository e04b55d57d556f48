export { startGatewayResponseCache } from './start.js';
export { responseCacheConfig } from './config.js';
export { recordFetchOfOperation } from './entity-tags/index.js';
export { gatewayFastPathGate } from './fast-path-gate.js';
