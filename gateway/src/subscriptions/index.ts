export { startSubscriptionServer } from './server.js';
export { gatewayQueryRunner } from './run-query.js';
export { subscriptionQueries } from './resolution.js';
export { notificationSource } from './notifications/source.js';
export type { SubscriptionStartHook } from './start-hook.js';
export { subscriptionConfig } from './config.js';
export { liveSource } from './live/source.js';
export { liveChannels } from './channels.js';
