export * from './principal.js';
export * from './signed-headers.js';
export * from './access-token.js';
export * from './api-key-verification.js';
export * from './external-access-token.js';
