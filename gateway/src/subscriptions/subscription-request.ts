import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode, platformError } from '@platform/errors';

/** What a graphql-ws `subscribe` message carries. */
export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A subscribe message that is a valid subscription of exactly one root field. */
export interface SubscriptionRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The one root field subscribed. */
  root: FieldNode;
  /** The variables as the client sent them. */
  variables: Record<string, unknown>;
  /** The variables coerced to their declared types. */
  coercedVariables: Record<string, unknown>;
}

/**
 * Checks a subscribe message against the API schema the gateway serves: a syntax error is
 * GRAPHQL_PARSE_FAILED, an unknown field (or any invalid document) GRAPHQL_VALIDATION_FAILED, bad
 * variables BAD_USER_INPUT, and anything but a subscription of one of `fields` (one root field,
 * no directive on it) BAD_REQUEST.
 */
export function readSubscriptionRequest(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  fields: readonly string[],
): SubscriptionRequest | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [coded(error, 'GRAPHQL_PARSE_FAILED')];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED'));

  const operation = getOperationAST(document, payload.operationName);
  if (!operation) {
    return [
      badRequest(
        payload.operationName
          ? `Unknown operation named "${payload.operationName}"`
          : 'Must provide operation name if query contains multiple operations',
      ),
    ];
  }
  const [root, ...others] = operation.selectionSet.selections;
  if (
    operation.operation !== OperationTypeNode.SUBSCRIPTION ||
    others.length > 0 ||
    root?.kind !== Kind.FIELD ||
    !fields.includes(root.name.value)
  ) {
    return [badRequest(`Only ${fields.join(', ')} can be subscribed`)];
  }
  if (root.directives?.length) {
    return [badRequest(`Directives on ${root.name.value} itself are not supported`)];
  }

  const variables = payload.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return coerced.errors.map((error) => coded(error, ErrorCode.BadUserInput));

  return { schema, document, operation, root, variables, coercedVariables: coerced.coerced };
}

function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

export const badRequest = (message: string) => platformError(ErrorCode.BadRequest, message);
