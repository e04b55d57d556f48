import type { ApolloServerPlugin } from '@apollo/server';
import { platformError } from '@platform/errors';

/** `extensions.code` of a subscription operation sent over HTTP (HTTP 400). */
export const SUBSCRIPTION_OVER_HTTP = 'SUBSCRIPTION_OVER_HTTP';

/**
 * Refuses a subscription sent over HTTP with 400 SUBSCRIPTION_OVER_HTTP, pointing at the
 * WebSocket: @apollo/gateway cannot execute subscriptions, and failed with a 500 and a stack
 * trace in the log. List it first among the plugins: Apollo Server runs every plugin's
 * didResolveOperation together and answers with the first refusal.
 */
export function refuseSubscriptionsOverHttp<TContext extends object>(
  path = '/graphql',
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw platformError(
            SUBSCRIPTION_OVER_HTTP,
            `Subscriptions are served over WebSocket only: connect to ws(s)://<this host>${path} ` +
              'with the graphql-transport-ws protocol (the graphql-ws client)',
            { http: { status: 400 } },
          );
        },
      };
    },
  };
}
