import type { ApolloServerPlugin } from '@apollo/server';
import { platformError } from '@platform/errors';

/** `extensions.code` of a subscription sent over HTTP without a streaming Accept (HTTP 400). */
export const SUBSCRIPTION_OVER_HTTP = 'SUBSCRIPTION_OVER_HTTP';

/**
 * Refuses a subscription that reached Apollo with 400 SUBSCRIPTION_OVER_HTTP, naming the
 * transports that serve it: a subscription POST with a streaming Accept (SSE, multipart) is
 * served before Apollo (`subscriptions/http/`), so what arrives here asked for a single JSON
 * answer, which @apollo/gateway cannot give (it failed with a 500 and a stack trace in the log).
 * List it first among the plugins: Apollo Server runs every plugin's didResolveOperation together
 * and answers with the first refusal.
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
            'A subscription needs a streaming transport: a WebSocket at ws(s)://<this host>' +
              `${path} with the graphql-transport-ws protocol (the graphql-ws client); SSE, a POST ` +
              `(or GET) to ${path} with "Accept: text/event-stream" (the graphql-sse protocol, ` +
              `distinct connections mode); or multipart HTTP, a POST to ${path} with ` +
              '"Accept: multipart/mixed;subscriptionSpec=1.0" (Apollo Client, Kotlin and iOS)',
            { http: { status: 400 } },
          );
        },
      };
    },
  };
}
