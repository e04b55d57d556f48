import {
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLField,
  type InlineFragmentNode,
  type OperationDefinitionNode,
} from 'graphql';

/** The operation's variables as given, completed with the defaults its definitions declare. */
export type VariableValues = Readonly<Record<string, unknown>>;

export function variableValues(
  operation: OperationDefinitionNode,
  given: Readonly<Record<string, unknown>>,
): VariableValues {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) {
      values[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  return { ...values, ...given };
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

/**
 * False only when `@skip(if: true)` or `@include(if: false)` is decided, by a literal or a
 * variable that has a value; an undecidable condition counts the selection (it may run).
 */
export function isIncluded(
  selection: FieldNode | InlineFragmentNode | FragmentSpreadNode,
  values: VariableValues,
): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if');
    const value = condition ? valueFromASTUntyped(condition.value, values) : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value === false) return false;
  }
  return true;
}

/**
 * The value a field argument will have when executed: the literal, the variable's value, or the
 * argument's default in the schema when it is absent (or is a variable without a value).
 */
export function argumentValue(
  node: FieldNode,
  definition: GraphQLField<unknown, unknown>,
  name: string,
  values: VariableValues,
): unknown {
  const given = node.arguments?.find((argument) => argument.name.value === name);
  const value = given ? valueFromASTUntyped(given.value, values) : undefined;
  if (value !== undefined) return value;
  return definition.args.find((argument) => argument.name === name)?.defaultValue;
}
