export { startSubscriptionServer } from './server.js';
export { gatewayQueryRunner } from './notification-resolver.js';
export type { SubscriptionStartHook } from './start-hook.js';
export { subscriptionConfig } from './config.js';
