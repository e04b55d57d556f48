export { startGateway, type GatewayOptions, type RunningGateway } from './server.js';
export { loadGatewayConfig, type GatewayConfig } from './config.js';
export type { GatewayContext } from './gateway-context.js';
export type { SubscriptionStartHook } from './subscriptions/index.js';
