export {
  startSubscriptionServer,
  type SubscriptionServer,
  type SubscriptionServerOptions,
} from './server.js';
export { gatewayQueryRunner, type RunQuery } from './notification-resolver.js';
export { allowEverySubscription, type SubscriptionStartHook } from './start-hook.js';
export { SocketClose } from './close-codes.js';
export { subscriptionSettings } from './config.js';
