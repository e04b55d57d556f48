import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostModel, ListSize } from './model.js';
import { INTROSPECTION_ROOT_FIELDS } from './operation-shape.js';
import { argumentValue, isIncluded, type VariableValues } from './operation-values.js';

/** Costs stay finite (JSON has no Infinity) and never turn into NaN. */
const MAX_COST = Number.MAX_SAFE_INTEGER;

/** A length a parent field's `@listSize(sizedFields:)` passes to some of its child fields. */
interface PassedSize {
  size: number;
  fields: ReadonlySet<string>;
}

/**
 * The static cost of an operation, Apollo demand control's formula:
 *   cost(field) = length x (weight + cost(selection set)) + cost(arguments)
 * where length is 1 for a non-list field. An abstract type's selection set costs as much as its
 * most expensive possible type (max over the branches); every selection counts, so aliases and
 * repeated fragment spreads cost again each time.
 */
export function operationCost(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  values: VariableValues,
  model: CostModel,
): number {
  const { schema, defaults } = model;
  // (selection set, type, passed size) has one cost for a given request: a fragment spread many
  // times is walked once per type, so fragment "bombs" are priced in linear time.
  const memo = new Map<SelectionSetNode, Map<string, number>>();
  const expanding = new Set<string>();

  function selectionSetCost(
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType | undefined,
    passed: PassedSize | undefined,
  ): number {
    const key = `${type?.name ?? ''}|${passed ? `${passed.size}:${[...passed.fields]}` : ''}`;
    const byKey = memo.get(selectionSet) ?? new Map<string, number>();
    memo.set(selectionSet, byKey);
    const known = byKey.get(key);
    if (known !== undefined) return known;

    let cost: number;
    const possibleTypes = type && isAbstractType(type) ? schema.getPossibleTypes(type) : [];
    if (possibleTypes.length > 0) {
      cost = Math.max(
        ...possibleTypes.map((possible) => selectionsCost(selectionSet, possible, passed)),
      );
    } else {
      cost = selectionsCost(selectionSet, type, passed);
    }
    byKey.set(key, cost);
    return cost;
  }

  /** The selections that run when the value has this type (concrete, or unknown). */
  function selectionsCost(
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType | undefined,
    passed: PassedSize | undefined,
  ): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, values)) continue;
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, type, passed);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (appliesTo(selection.typeCondition?.name.value, type)) {
          cost += selectionSetCost(selection.selectionSet, type, passed);
        }
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || expanding.has(name)) continue;
        if (!appliesTo(fragment.typeCondition.name.value, type)) continue;
        expanding.add(name);
        cost += selectionSetCost(fragment.selectionSet, type, passed);
        expanding.delete(name);
      }
    }
    return Math.min(cost, MAX_COST);
  }

  function appliesTo(condition: string | undefined, type: GraphQLCompositeType | undefined) {
    if (!condition || !type || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    if (!conditionType || !isObjectType(type)) return true; // unknown or abstract: may apply
    return isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  }

  function fieldCost(
    node: FieldNode,
    parent: GraphQLCompositeType | undefined,
    passed: PassedSize | undefined,
  ): number {
    const name = node.name.value;
    if (name === '__typename') return 0;
    if (INTROSPECTION_ROOT_FIELDS.has(name)) return defaults.introspectionWeight;

    const definition =
      parent && (isObjectType(parent) || isInterfaceType(parent))
        ? parent.getFields()[name]
        : undefined;
    if (!parent || !definition) {
      // Not in the schema (validation refuses it): priced by shape alone.
      const children = node.selectionSet
        ? selectionSetCost(node.selectionSet, undefined, undefined)
        : 0;
      return Math.min(
        (node.selectionSet ? defaults.compositeWeight : defaults.leafWeight) + children,
        MAX_COST,
      );
    }

    const coordinate = `${parent.name}.${name}`;
    const configured = model.fields.get(coordinate);
    const returnType = getNamedType(definition.type);
    const isList = isListType(getNullableType(definition.type));
    const composite = isCompositeType(returnType);
    const sizing = effectiveListSize(definition, configured?.listSize, isList, composite);
    const size = expectedSize(node, definition, sizing);
    const length = !isList
      ? 1
      : passed?.fields.has(name)
        ? passed.size
        : (size ?? defaults.listSize);
    const toChildren =
      size !== undefined && sizing.sizedFields.length > 0
        ? { size, fields: new Set(sizing.sizedFields) }
        : undefined;

    const each = valueCost(node.selectionSet, returnType, configured?.weight, toChildren);
    return Math.min(length * each + argumentsCost(node, definition, coordinate), MAX_COST);
  }

  /**
   * One value of the field: its weight (the field's `@cost`, else its type's) plus its selections.
   * A value of an abstract type costs as much as its most expensive possible type.
   */
  function valueCost(
    selectionSet: SelectionSetNode | undefined,
    type: GraphQLNamedType,
    fieldWeight: number | undefined,
    passed: PassedSize | undefined,
  ): number {
    if (!isCompositeType(type)) {
      return fieldWeight ?? model.typeWeights.get(type.name) ?? defaults.leafWeight;
    }
    const children = (as: GraphQLCompositeType) =>
      selectionSet ? selectionSetCost(selectionSet, as, passed) : 0;
    const possibleTypes = isAbstractType(type) ? schema.getPossibleTypes(type) : [];
    if (fieldWeight !== undefined || possibleTypes.length === 0) {
      const weight = fieldWeight ?? model.typeWeights.get(type.name) ?? defaults.compositeWeight;
      return Math.min(weight + children(type), MAX_COST);
    }
    const abstractWeight = model.typeWeights.get(type.name) ?? defaults.compositeWeight;
    return Math.min(
      Math.max(
        ...possibleTypes.map(
          (possible) =>
            (model.typeWeights.get(possible.name) ?? abstractWeight) + children(possible),
        ),
      ),
      MAX_COST,
    );
  }

  /** `@listSize` (or override) as given, completed with the platform's pagination convention. */
  function effectiveListSize(
    definition: GraphQLField<unknown, unknown>,
    listSize: ListSize | undefined,
    isList: boolean,
    composite: boolean,
  ): Required<Omit<ListSize, 'assumedSize'>> & Pick<ListSize, 'assumedSize'> {
    const slicingArguments =
      listSize?.slicingArguments ??
      defaults.slicingArguments.filter((name) => definition.args.some((arg) => arg.name === name));
    const sizedFields =
      listSize?.sizedFields ??
      (!isList && composite && slicingArguments.length > 0 ? defaults.sizedFields : []);
    return { slicingArguments, sizedFields, assumedSize: listSize?.assumedSize };
  }

  /** The largest usable slicing argument (clamped), else the assumed size, else undefined. */
  function expectedSize(
    node: FieldNode,
    definition: GraphQLField<unknown, unknown>,
    sizing: { slicingArguments: readonly string[]; assumedSize?: number },
  ): number | undefined {
    let largest: number | undefined;
    for (const path of sizing.slicingArguments) {
      const [argument = '', ...inside] = path.split('.');
      let value = argumentValue(node, definition, argument, values);
      for (const key of inside) value = isRecord(value) ? value[key] : undefined;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
        largest = Math.max(largest ?? 0, Math.min(value, defaults.maxListSize));
      }
    }
    return largest ?? sizing.assumedSize;
  }

  function argumentsCost(
    node: FieldNode,
    definition: GraphQLField<unknown, unknown>,
    coordinate: string,
  ): number {
    if (model.inputWeights.size === 0) return 0;
    let cost = 0;
    for (const argument of node.arguments ?? []) {
      const argumentDefinition = definition.args.find((arg) => arg.name === argument.name.value);
      if (!argumentDefinition) continue;
      cost += inputCost(
        valueFromASTUntyped(argument.value, values),
        argumentDefinition.type,
        model.inputWeights.get(`${coordinate}(${argumentDefinition.name}:)`),
      );
    }
    return cost;
  }

  /** `@cost` on arguments and input fields: charged for each value given. */
  function inputCost(value: unknown, type: GraphQLInputType, weight: number | undefined): number {
    if (value === null || value === undefined) return 0;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      return items.reduce<number>((sum, item) => sum + inputCost(item, nullable.ofType, weight), 0);
    }
    let cost = weight ?? 0;
    if (isInputObjectType(nullable) && isRecord(value)) {
      for (const field of Object.values(nullable.getFields())) {
        cost += inputCost(
          value[field.name],
          field.type,
          model.inputWeights.get(`${nullable.name}.${field.name}`),
        );
      }
    }
    return cost;
  }

  const rootType = schema.getRootType(operation.operation);
  const base = operation.operation === OperationTypeNode.MUTATION ? defaults.mutationWeight : 0;
  return Math.min(
    base + selectionSetCost(operation.selectionSet, rootType ?? undefined, undefined),
    MAX_COST,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
