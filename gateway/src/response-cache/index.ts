export { startGatewayResponseCache } from './start.js';
export { responseCacheConfig } from './config.js';
export { recordFetchOfOperation, shareEntityTags } from './entity-tags/index.js';
export { canonicalJson } from './cache-keys.js';
export { gatewayFastPathGate } from './fast-path-gate.js';
export { PERSISTED_QUERY_HASH_MISMATCH, persistedQueryErrorCodes } from './apq.js';
export { notificationInvalidation } from './notification-invalidation.js';
