import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { AuthenticatedPrincipal } from '@platform/identity';
import { requestLogger, type Logger } from '@platform/logger';
import type { GatewayContext } from '../gateway-context.js';

/** A query the gateway runs through its own pipeline on a subscriber's behalf. */
export interface PreparedQuery {
  query: string;
  operationName: string;
  /** The subscriber's variables that the selection uses. */
  variables: Record<string, unknown>;
  /**
   * Its answer depends on its variables, not on the moment it is asked (a notification by id),
   * so identical queries may share one answer (`shared-queries.ts`). A replay page (what came
   * after a cursor, as of now) is not: an answer from before a subscriber's channel was listening
   * could miss what was published meanwhile.
   */
  shareable?: boolean;
  /**
   * What the answer is of, beyond the variables: a live message's cursor, so identical
   * subscriptions share the answer to one event but a later change of the same entity is read
   * anew. Part of the share key, never sent.
   */
  moment?: string;
}

/** Runs a query through the gateway's whole pipeline as `principal` (a fresh request id each). */
export type RunQuery = (
  query: PreparedQuery,
  principal: AuthenticatedPrincipal,
) => Promise<FormattedExecutionResult>;

/**
 * Queries go through the gateway's own Apollo server, so they are authorized, planned and sent to
 * the subgraphs with the subscriber's signed identity exactly like an HTTP request, and their
 * errors are formatted (unexpected ones masked) the same way.
 */
export function gatewayQueryRunner(apollo: ApolloServer<GatewayContext>, logger: Logger): RunQuery {
  return async ({ query, operationName, variables }, principal) => {
    const scoped = requestLogger(logger);
    const response = await apollo.executeOperation(
      { query, operationName, variables },
      {
        contextValue: {
          principal,
          clientIp: undefined,
          requestId: scoped.bindings().requestId as string,
          logger: scoped,
          internal: true,
        },
      },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };
}
