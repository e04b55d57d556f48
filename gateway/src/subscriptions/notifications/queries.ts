import {
  print,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { PreparedQuery } from '../run-query.js';
import { aliasedField, freshName, selectionParts } from '../selection.js';

/** How many notifications one replay query asks for; a shorter page is the last one. */
export const REPLAY_PAGE_SIZE = 100;

export interface NotificationQueries {
  /** `notification(id: $<idVariable>) { ...selection }`: answers one live message. */
  byId: PreparedQuery & { idVariable: string };
  /**
   * `notificationsSince(since: $<sinceVariable>, first: REPLAY_PAGE_SIZE) { <cursorKey>: cursor
   * ...selection }`: one page of a replay, oldest first. `cursorKey` is an alias the selection does
   * not use, so the client's own fields (its `cursor` or not) come back exactly as it asked.
   */
  replay: PreparedQuery & { sinceVariable: string; cursorKey: string };
}

/**
 * Rewrites `subscription ($since: String) { notificationAdded(since: $since) { ...selection } }`
 * into the queries that resolve the same selection through the supergraph, keeping the fragments
 * and the variable definitions the selection uses (and only those: unused ones fail validation).
 */
export function notificationQueries(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rootField: FieldNode & { selectionSet: SelectionSetNode },
  variables: Readonly<Record<string, unknown>>,
): NotificationQueries {
  const parts = selectionParts(document, operation, rootField.selectionSet, variables);
  const { withFragments, takenVariables: taken, variables: passed } = parts;
  const header = (extra: string) => [extra, ...parts.variableDefinitions].join(', ');

  const idVariable = freshName('id', taken);
  const sinceVariable = freshName('since', taken);
  const cursorKey = freshName('replayCursor', parts.responseKeys);
  const withCursor: SelectionSetNode = {
    ...rootField.selectionSet,
    selections: [aliasedField(cursorKey, 'cursor'), ...rootField.selectionSet.selections],
  };

  return {
    byId: {
      operationName: 'NotificationAdded',
      query: withFragments(
        `query NotificationAdded(${header(`$${idVariable}: ID!`)}) ` +
          `{ notification(id: $${idVariable}) ${print(rootField.selectionSet)} }`,
      ),
      variables: passed,
      idVariable,
      shareable: true,
    },
    replay: {
      operationName: 'NotificationAddedReplay',
      query: withFragments(
        `query NotificationAddedReplay(${header(`$${sinceVariable}: String`)}) ` +
          `{ notificationsSince(since: $${sinceVariable}, first: ${REPLAY_PAGE_SIZE}) ` +
          `${print(withCursor)} }`,
      ),
      variables: passed,
      sinceVariable,
      cursorKey,
    },
  };
}
