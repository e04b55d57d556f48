import { describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { refuseSubscriptionsOverHttp } from './subscription-over-http.js';

describe('refuseSubscriptionsOverHttp', () => {
  it('answers a subscription 400 SUBSCRIPTION_OVER_HTTP naming the WebSocket, SSE and multipart transports, and lets queries run', async () => {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { hello: String } type Subscription { ticks: Int }',
      resolvers: { Query: { hello: () => 'world' } },
      plugins: [refuseSubscriptionsOverHttp()],
    });
    await apollo.start();
    try {
      const refused = await apollo.executeOperation({ query: 'subscription { ticks }' });
      expect(refused.http.status).toBe(400);
      expect(refused.body).toEqual({
        kind: 'single',
        singleResult: {
          errors: [
            {
              message: expect.stringMatching(
                /WebSocket.*\/graphql.*graphql-transport-ws.*text\/event-stream.*graphql-sse.*multipart\/mixed;subscriptionSpec=1\.0/,
              ),
              extensions: { code: 'SUBSCRIPTION_OVER_HTTP' },
            },
          ],
        },
      });
      const query = await apollo.executeOperation({ query: '{ hello }' });
      expect(query.body).toEqual({ kind: 'single', singleResult: { data: { hello: 'world' } } });
    } finally {
      await apollo.stop();
    }
  });
});
