import {
  GraphQLError,
  Kind,
  getArgumentValues,
  type FragmentDefinitionNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { badUserInput } from '@platform/errors';
import { badRequest, type SubscriptionRequest } from '../subscription-request.js';
import { cursorPosition, type CursorPosition } from '../cursor-order.js';
import { messageProjection, type MessageProjection } from './message-projection.js';
import { notificationQueries, type NotificationQueries } from './queries.js';

/** The subscription root field this source serves. */
export const NOTIFICATION_ADDED = 'notificationAdded';

/** A subscriber's `notificationAdded`, checked and ready to be served. */
export interface NotificationSubscription {
  document: DocumentNode;
  /** The key the client reads the notification under: its alias, or `notificationAdded`. */
  responseKey: string;
  /** Replay the notifications after this position first; undefined: live ones only. */
  since: CursorPosition | undefined;
  queries: NotificationQueries;
  /**
   * Answers a published notification without a query, when the selection needs nothing the
   * message does not carry (`message-projection.ts`); undefined: every one goes through `queries`.
   */
  projection: MessageProjection | undefined;
}

/**
 * Reads a valid subscription request of `notificationAdded` (`readSubscriptionRequest` checked the
 * document): its `since` (BAD_USER_INPUT unless a notification cursor), the queries that resolve
 * its selection, and whether the published message alone answers it.
 */
export function readNotificationSubscription(
  request: SubscriptionRequest,
): NotificationSubscription | GraphQLError[] {
  const { schema, document, operation, root, variables, coercedVariables } = request;
  if (!root.selectionSet) return [badRequest(`Only ${NOTIFICATION_ADDED} can be subscribed`)];

  const since = readSince(schema, root, coercedVariables);
  if (since instanceof GraphQLError) return [since];

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
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
    projection: messageProjection(schema, fragments, root.selectionSet, coercedVariables),
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
