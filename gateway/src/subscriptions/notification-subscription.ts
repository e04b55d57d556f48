import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode, badUserInput, platformError } from '@platform/errors';
import { cursorPosition, type CursorPosition } from './cursor-order.js';
import { notificationQueries, type NotificationQueries } from './notification-queries.js';

/** The one subscription root field the gateway serves. */
export const NOTIFICATION_ADDED = 'notificationAdded';

/** What a graphql-ws `subscribe` message carries. */
export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A subscriber's `notificationAdded`, checked and ready to be served. */
export interface NotificationSubscription {
  document: DocumentNode;
  /** The key the client reads the notification under: its alias, or `notificationAdded`. */
  responseKey: string;
  /** Replay the notifications after this position first; undefined: live ones only. */
  since: CursorPosition | undefined;
  queries: NotificationQueries;
}

/**
 * Checks a subscribe message against the API schema the gateway serves and reads it as a
 * `notificationAdded` subscription: a syntax error is GRAPHQL_PARSE_FAILED, an unknown field (or
 * any invalid document) GRAPHQL_VALIDATION_FAILED, bad variables or `since` BAD_USER_INPUT, and any
 * other operation BAD_REQUEST.
 */
export function readNotificationSubscription(
  schema: GraphQLSchema,
  payload: SubscribePayload,
): NotificationSubscription | GraphQLError[] {
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
    root.name.value !== NOTIFICATION_ADDED ||
    !root.selectionSet
  ) {
    return [badRequest(`Only ${NOTIFICATION_ADDED} can be subscribed`)];
  }
  if (root.directives?.length) {
    return [badRequest(`Directives on ${NOTIFICATION_ADDED} itself are not supported`)];
  }

  const variables = payload.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return coerced.errors.map((error) => coded(error, ErrorCode.BadUserInput));

  const since = readSince(schema, root, coerced.coerced);
  if (since instanceof GraphQLError) return [since];

  return {
    document,
    responseKey: (root.alias ?? root.name).value,
    since,
    queries: notificationQueries(
      document,
      operation,
      root as FieldNode & { selectionSet: SelectionSetNode },
      variables,
    ),
  };
}

function readSince(
  schema: GraphQLSchema,
  field: FieldNode,
  variables: Record<string, unknown>,
): CursorPosition | undefined | GraphQLError {
  const definition = schema.getSubscriptionType()?.getFields()[NOTIFICATION_ADDED];
  if (!definition) return badRequest(`Only ${NOTIFICATION_ADDED} can be subscribed`);
  const { since } = getArgumentValues(definition, field, variables);
  if (since === undefined || since === null) return undefined;
  const position = typeof since === 'string' ? cursorPosition(since) : undefined;
  return position ?? badUserInput('since is not a notification cursor', 'since');
}

function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

const badRequest = (message: string) => platformError(ErrorCode.BadRequest, message);
