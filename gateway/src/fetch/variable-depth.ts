import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, nestsWithin } from '@platform/errors';

/**
 * How deeply a subgraph request's variables may nest objects and arrays. Every subgraph fetch
 * serializes its variables with JSON.stringify, which recurses and overflows the stack a few
 * thousand levels down (a document body 5,000 deep was an INTERNAL_SERVER_ERROR). Far above what
 * any subgraph accepts (the data subgraph's document bodies: 64), so each subgraph still gives its
 * own, precise refusal below it.
 */
export const MAX_SUBGRAPH_VARIABLE_DEPTH = 128;

/**
 * The answer to a subgraph fetch whose variables nest deeper than the maximum, sent instead of
 * it: no data and one BAD_USER_INPUT naming the variable; undefined when they are within it.
 */
export function tooDeepVariablesResponse(
  variables: Record<string, unknown> | undefined,
): { data: null; errors: GraphQLFormattedError[] } | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    // The variables object itself is one level above its values.
    if (nestsWithin(value, MAX_SUBGRAPH_VARIABLE_DEPTH - 1)) continue;
    return {
      data: null,
      errors: [
        {
          message: `$${name} nests objects and arrays more than ${MAX_SUBGRAPH_VARIABLE_DEPTH} levels deep`,
          extensions: { code: ErrorCode.BadUserInput, variable: name },
        },
      ],
    };
  }
  return undefined;
}
