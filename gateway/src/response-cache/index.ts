export { startGatewayResponseCache } from './start.js';
export { recordFetchOfOperation } from './entity-tags/index.js';
