import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@platform/errors';
import type { Logger } from '@platform/logger';

/**
 * Errors the platform raised on purpose (a GraphQLError with a code) reach the client as they are;
 * anything else is a bug: it is logged and the client gets a generic INTERNAL_SERVER_ERROR
 * without internals.
 */
export function formatSubgraphError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError && original.extensions?.code) return formatted;
    if (formatted.extensions?.code && formatted.extensions.code !== ErrorCode.InternalServerError) {
      return formatted; // validation and parse errors from Apollo itself
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected resolver error');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.InternalServerError },
    };
  };
}
