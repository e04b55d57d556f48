import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import express from 'express';

/** An ApolloServer served over HTTP by `serveApollo`. */
export interface ServedApollo {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** Stops the ApolloServer, then the HTTP server. */
  stop: () => Promise<void>;
}

/**
 * Starts `apollo` and serves it at /graphql on a free local port through the Express integration,
 * with `context` building each request's context.
 */
export async function serveApollo<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  context: ContextFunction<[ExpressContextFunctionArgument], Context>,
): Promise<ServedApollo> {
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo, { context }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await apollo.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
