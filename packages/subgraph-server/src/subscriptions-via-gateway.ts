import { platformError } from '@platform/errors';

/**
 * The resolver of a Subscription field the gateway serves (`notificationAdded`, every `@live`
 * field): a subgraph declares it for composition, and refuses it when called directly.
 */
export const subscriptionsViaGateway = () => {
  throw platformError(
    'SUBSCRIPTIONS_VIA_GATEWAY',
    'Subscribe through the gateway (graphql-ws); this subgraph does not serve subscriptions',
  );
};
