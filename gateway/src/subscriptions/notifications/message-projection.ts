import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isEnumType,
  isLeafType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { NOTIFICATION_ENTITY_FIELDS, type NotificationEntity } from '@platform/realtime';

/** The subscriber's answer for one published notification; undefined: not servable from it. */
export type MessageProjection = (entity: NotificationEntity) => Record<string, unknown> | undefined;

/** One response key of a compiled selection. */
type Step =
  | { key: string; kind: 'typename' }
  | { key: string; kind: 'value'; field: string; enumValues: ReadonlySet<string> | undefined }
  | { key: string; kind: 'reference'; field: string; byType: ReadonlyMap<string, Step[]> };

/** The fields a referenced entity is served with: what the message says of it. */
const REFERENCE_FIELDS: Readonly<Record<string, 'value'>> = { id: 'value' };

/**
 * Decides once, when a subscription is prepared, whether its selection is served by the published
 * notification alone (`@platform/realtime`'s NOTIFICATION_ENTITY_FIELDS: the notification
 * subgraph's own fields, and `__typename`/`id` of the entities it refers to), and if so compiles
 * the selection into a projection of the message: undefined when any field, at any depth, needs
 * more (the subscription is then resolved through the supergraph).
 *
 * The selection is collected as graphql-js's executor collects it (response keys in order, aliases,
 * fragments whose type condition applies to the runtime type, `@skip`/`@include` with the
 * subscriber's variables, which do not change during a subscription), against the API schema the
 * gateway validated it with. Written here rather than by calling `execute` per delivery: it
 * walks the document once per subscription, where `execute` walks it once per notification
 * (bench/notes/cheap-deliveries.md has both measured).
 */
export function messageProjection(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  selectionSet: SelectionSetNode,
  variables: Readonly<Record<string, unknown>>,
): MessageProjection | undefined {
  const notification = schema.getType('Notification');
  if (!isObjectType(notification)) return undefined;
  const compile = (
    type: GraphQLObjectType,
    selections: readonly SelectionSetNode[],
    served: Readonly<Record<string, 'value' | 'reference'>>,
  ): Step[] | undefined => {
    const steps: Step[] = [];
    for (const [key, nodes] of collectFields(schema, fragments, variables, type, selections)) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        steps.push({ key, kind: 'typename' });
        continue;
      }
      const how = Object.hasOwn(served, name) ? served[name] : undefined;
      const definition = type.getFields()[name];
      if (!how || !definition || nodes.some((node) => node.arguments?.length)) return undefined;
      const named = getNamedType(definition.type);
      if (how === 'value') {
        if (!isLeafType(named)) return undefined;
        const enumValues = isEnumType(named)
          ? new Set(named.getValues().map((value) => value.name))
          : undefined;
        steps.push({ key, kind: 'value', field: name, enumValues });
        continue;
      }
      const possible = isAbstractType(named)
        ? schema.getPossibleTypes(named)
        : isObjectType(named)
          ? [named]
          : [];
      const sub = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const byType = new Map<string, Step[]>();
      for (const each of possible) {
        const compiled = compile(each, sub, REFERENCE_FIELDS);
        if (!compiled) return undefined;
        byType.set(each.name, compiled);
      }
      steps.push({ key, kind: 'reference', field: name, byType });
    }
    return steps;
  };

  const steps = compile(notification, [selectionSet], NOTIFICATION_ENTITY_FIELDS);
  if (!steps) return undefined;
  return (entity) =>
    project(steps, entity as unknown as Record<string, unknown>, notification.name);
}

/** A step's answers for one object; undefined when the message cannot give one (pipeline then). */
function project(
  steps: readonly Step[],
  source: Readonly<Record<string, unknown>>,
  typename: string,
): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  for (const step of steps) {
    if (step.kind === 'typename') {
      result[step.key] = typename;
      continue;
    }
    const value = source[step.field];
    if (value === undefined) return undefined;
    if (step.kind === 'value') {
      if (step.enumValues && !step.enumValues.has(value as string)) return undefined;
      result[step.key] = value;
      continue;
    }
    if (value === null) {
      result[step.key] = null;
      continue;
    }
    const reference = value as Readonly<Record<string, unknown>>;
    const referenceType = reference.__typename as string;
    const referenceSteps = step.byType.get(referenceType);
    const projected = referenceSteps && project(referenceSteps, reference, referenceType);
    if (!projected) return undefined;
    result[step.key] = projected;
  }
  return result;
}

/**
 * The fields of `selections` on an object of `type`, grouped by response key in first-seen order,
 * as graphql-js's `collectFields` groups them (that one is not part of graphql's public API).
 */
function collectFields(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const included = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  const applies = (condition: string | undefined) => {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias ?? selection.name).value;
        const group = fields.get(key);
        if (group) group.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (visited.has(name) || !fragment) continue;
        visited.add(name);
        if (applies(fragment.typeCondition.name.value)) collect(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) collect(selectionSet);
  return fields;
}
