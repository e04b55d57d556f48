import {
  Kind,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { PreparedQuery } from '../run-query.js';

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
  const fragments = reachableFragments(document, rootField.selectionSet);
  const used = variablesUsed([rootField.selectionSet, ...fragments]);
  const definitions = (operation.variableDefinitions ?? []).filter((definition) =>
    used.has(definition.variable.name.value),
  );
  const taken = new Set((operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  const passed = Object.fromEntries(
    [...used].filter((name) => name in variables).map((name) => [name, variables[name]]),
  );
  const header = (extra: string) => [extra, ...definitions.map((d) => print(d))].join(', ');
  const withFragments = (operationText: string) =>
    [operationText, ...fragments.map((fragment) => print(fragment))].join('\n');

  const idVariable = freshName('id', taken);
  const sinceVariable = freshName('since', taken);
  const cursorKey = freshName('replayCursor', responseKeys(rootField.selectionSet, fragments));
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

function reachableFragments(
  document: DocumentNode,
  selectionSet: SelectionSetNode,
): FragmentDefinitionNode[] {
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) byName.set(definition.name.value, definition);
  }
  const reached = new Map<string, FragmentDefinitionNode>();
  const pending: SelectionSetNode[] = [selectionSet];
  for (let next = pending.pop(); next; next = pending.pop()) {
    visit(next, {
      FragmentSpread(spread) {
        const fragment = byName.get(spread.name.value);
        if (fragment && !reached.has(spread.name.value)) {
          reached.set(spread.name.value, fragment);
          pending.push(fragment.selectionSet);
        }
      },
    });
  }
  return [...reached.values()];
}

function variablesUsed(nodes: (SelectionSetNode | FragmentDefinitionNode)[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  }
  return names;
}

/** The response keys at the top of a selection, looking through fragments. */
function responseKeys(
  selectionSet: SelectionSetNode,
  fragments: FragmentDefinitionNode[],
): Set<string> {
  const keys = new Set<string>();
  const collect = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) keys.add((selection.alias ?? selection.name).value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet.selections);
    }
  };
  collect(selectionSet.selections);
  for (const fragment of fragments) collect(fragment.selectionSet.selections);
  return keys;
}

function freshName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let suffix = 1; taken.has(name); suffix += 1) name = `${base}${suffix}`;
  return name;
}

function aliasedField(alias: string, name: string): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: name },
  };
}
