import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@platform/errors';
import type { Logger } from '@platform/logger';
import type { GatewayContext } from '../gateway-context.js';
import { CONCURRENCY_LIMIT_EXCEEDED, SUBGRAPH_UNAVAILABLE } from '../resilience/index.js';

/** Codes that mean "something broke", not "the request was wrong": their details stay inside. */
const UNEXPECTED_CODES = new Set<unknown>([
  undefined,
  ErrorCode.InternalServerError,
  // A subgraph that could not be reached, or answered without GraphQL errors.
  'DOWNSTREAM_SERVICE_ERROR',
]);

/**
 * Errors raised on purpose carry a code (UNAUTHENTICATED, BAD_USER_INPUT, a subgraph's own coded
 * errors, Apollo's validation codes). The rest are bugs or outages, including a subgraph's failed
 * HTTP answer (`extensions.response`, which would reveal its URL and body).
 */
function isUnexpected(extensions: Readonly<Record<string, unknown>> | undefined): boolean {
  return UNEXPECTED_CODES.has(extensions?.code) || extensions?.response !== undefined;
}

/**
 * formatError: expected errors reach the client as they are; the rest as INTERNAL_SERVER_ERROR.
 * A subgraph the gateway could not get an answer from is named, with nothing else about it.
 */
export function maskUnexpectedErrors(
  formatted: GraphQLFormattedError,
  _error: unknown,
): GraphQLFormattedError {
  if (formatted.extensions?.code === SUBGRAPH_UNAVAILABLE) {
    return {
      message: formatted.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: SUBGRAPH_UNAVAILABLE, subgraph: formatted.extensions.subgraph },
    };
  }
  if (formatted.extensions?.code === CONCURRENCY_LIMIT_EXCEEDED) {
    const { subgraph, limit } = formatted.extensions;
    return {
      message: formatted.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: CONCURRENCY_LIMIT_EXCEEDED, subgraph, limit },
    };
  }
  if (!isUnexpected(formatted.extensions)) return formatted;
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.InternalServerError },
  };
}

/** Logs every unexpected error with its details, on the request's logger (so with its id). */
export function logUnexpectedErrors(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async contextCreationDidFail({ error }) {
      if (!(error instanceof GraphQLError) || isUnexpected(error.extensions)) {
        logger.error({ err: error }, 'unexpected error while authenticating');
      }
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!isUnexpected(error.extensions)) continue;
            contextValue.logger.error(
              { err: unwrapResolverError(error), code: error.extensions?.code, path: error.path },
              'unexpected error',
            );
          }
        },
      };
    },
  };
}
