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

/**
 * What a query that resolves a subscriber's selection needs from the subscription: the fragments
 * and variable definitions the selection uses (and only those: unused ones fail validation), the
 * values of those variables, and the names the operation already takes.
 */
export interface SelectionParts {
  fragments: FragmentDefinitionNode[];
  /** `$name: Type` of each variable the selection uses, printed. */
  variableDefinitions: string[];
  /** The subscriber's values of those variables. */
  variables: Record<string, unknown>;
  /** Every variable name of the operation, for choosing names of the gateway's own. */
  takenVariables: Set<string>;
  /** The response keys at the top of the selection, for choosing an alias of the gateway's own. */
  responseKeys: Set<string>;
  /** An operation's text with the fragments it uses appended. */
  withFragments(operationText: string): string;
}

export function selectionParts(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  selectionSet: SelectionSetNode,
  variables: Readonly<Record<string, unknown>>,
): SelectionParts {
  const fragments = reachableFragments(document, selectionSet);
  const used = variablesUsed([selectionSet, ...fragments]);
  const definitions = (operation.variableDefinitions ?? []).filter((definition) =>
    used.has(definition.variable.name.value),
  );
  return {
    fragments,
    variableDefinitions: definitions.map((definition) => print(definition)),
    variables: Object.fromEntries(
      [...used].filter((name) => name in variables).map((name) => [name, variables[name]]),
    ),
    takenVariables: new Set(
      (operation.variableDefinitions ?? []).map((d) => d.variable.name.value),
    ),
    responseKeys: responseKeys(selectionSet, fragments),
    withFragments: (operationText) =>
      [operationText, ...fragments.map((fragment) => print(fragment))].join('\n'),
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

export function freshName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let suffix = 1; taken.has(name); suffix += 1) name = `${base}${suffix}`;
  return name;
}

export function aliasedField(alias: string, name: string): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: name },
  };
}
