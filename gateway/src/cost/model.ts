import {
  buildASTSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import {
  costDirectiveNames,
  costWeight,
  listSizeDirective,
  type CostDirectiveNames,
} from './directives.js';

/** How long a list field is, per IBM's `@listSize`. */
export interface ListSize {
  /**
   * Arguments whose value is the list's length; the largest one given counts. A dotted path
   * (`page.first`) reaches into an input object. Undefined: the default slicing arguments.
   */
  slicingArguments?: readonly string[];
  /** The length when no slicing argument has a usable value. */
  assumedSize?: number;
  /**
   * Child list fields the length applies to, for a field that returns a wrapper (a connection's
   * `edges`). Undefined: the default sized fields when the field returns a non-list object.
   */
  sizedFields?: readonly string[];
}

/** What one output field (`Type.field`) costs. */
export interface FieldCost {
  /** The cost of each value the field returns; replaces the return type's weight. */
  weight?: number;
  listSize?: ListSize;
}

/** An operator's override for `Type.field` (or a `Type`'s weight), from COST_OVERRIDES. */
export interface CostOverride {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

export type CostOverrides = Readonly<Record<string, CostOverride>>;

export interface CostDefaults {
  /** Weight of a value of an object, interface or union type without `@cost`. */
  compositeWeight: number;
  /** Weight of a scalar or enum value without `@cost`. */
  leafWeight: number;
  /** Length assumed for a list with neither a usable slicing argument nor an assumed size. */
  listSize: number;
  /** Client-given slicing values are clamped to this. */
  maxListSize: number;
  /** Added once to every mutation (Apollo's demand control does the same). */
  mutationWeight: number;
  /** Flat price of each `__schema` / `__type` field, whatever it selects. */
  introspectionWeight: number;
  /** Arguments that slice a field that has no `@listSize` (the platform's `first`). */
  slicingArguments: readonly string[];
  /** Child list fields sized by those arguments when the field returns a connection. */
  sizedFields: readonly string[];
}

export const DEFAULT_COST_DEFAULTS: CostDefaults = {
  compositeWeight: 1,
  leafWeight: 0,
  listSize: 10,
  maxListSize: 1000,
  mutationWeight: 10,
  introspectionWeight: 1,
  slicingArguments: ['first', 'last', 'limit'],
  sizedFields: ['edges', 'nodes'],
};

/** Everything priceOperation needs: the API types and the weights read from the supergraph. */
export interface CostModel {
  readonly schema: GraphQLSchema;
  readonly defaults: CostDefaults;
  /** `Type` to the weight of each of its values (`@cost` on the type, or an override). */
  readonly typeWeights: ReadonlyMap<string, number>;
  /** `Type.field` to its weight and list sizing (`@cost`/`@listSize`, or an override). */
  readonly fields: ReadonlyMap<string, FieldCost>;
  /** `Type.field(arg:)` and `Input.field` to the weight added when a value is given. */
  readonly inputWeights: ReadonlyMap<string, number>;
  /** Override keys that name no type or field of the schema (worth a warning at start-up). */
  readonly unknownOverrides: readonly string[];
}

export interface CostModelOptions {
  overrides?: CostOverrides;
  defaults?: Partial<CostDefaults>;
}

/** Reads a model from supergraph SDL (as composed) or any SDL using `@cost`/`@listSize`. */
export function costModelFromSdl(sdl: string, options: CostModelOptions = {}): CostModel {
  return costModelFromSchema(buildASTSchema(parse(sdl), { assumeValidSDL: true }), options);
}

/** Reads a model from a schema built from SDL (its AST nodes carry the directives). */
function costModelFromSchema(schema: GraphQLSchema, options: CostModelOptions = {}): CostModel {
  const names = costDirectiveNames(schema);
  const typeWeights = new Map<string, number>();
  const fields = new Map<string, FieldCost>();
  const inputWeights = new Map<string, number>();

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const typeWeight = costWeight(directivesOf(type), names);
    if (typeWeight !== undefined) typeWeights.set(type.name, typeWeight);
    if (isObjectType(type) || isInterfaceType(type)) {
      readFieldCosts(type.name, Object.values(type.getFields()), names, fields, inputWeights);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const weight = costWeight(field.astNode?.directives, names);
        if (weight !== undefined) inputWeights.set(`${type.name}.${field.name}`, weight);
      }
    }
  }

  const unknownOverrides = applyOverrides(schema, options.overrides ?? {}, typeWeights, fields);
  return {
    schema,
    defaults: { ...DEFAULT_COST_DEFAULTS, ...options.defaults },
    typeWeights,
    fields,
    inputWeights,
    unknownOverrides,
  };
}

function readFieldCosts(
  typeName: string,
  definitions: ReadonlyArray<GraphQLField<unknown, unknown>>,
  names: CostDirectiveNames,
  fields: Map<string, FieldCost>,
  inputWeights: Map<string, number>,
): void {
  for (const field of definitions) {
    const coordinate = `${typeName}.${field.name}`;
    const weight = costWeight(field.astNode?.directives, names);
    const listSize = listSizeDirective(field.astNode?.directives, names);
    if (weight !== undefined || listSize) fields.set(coordinate, { weight, listSize });
    for (const argument of field.args) {
      const argumentWeight = costWeight(argument.astNode?.directives, names);
      if (argumentWeight !== undefined) {
        inputWeights.set(`${coordinate}(${argument.name}:)`, argumentWeight);
      }
    }
  }
}

/** Applies overrides over the directives; returns the keys that match nothing. */
function applyOverrides(
  schema: GraphQLSchema,
  overrides: CostOverrides,
  typeWeights: Map<string, number>,
  fields: Map<string, FieldCost>,
): string[] {
  const unknown: string[] = [];
  for (const [key, override] of Object.entries(overrides)) {
    const [typeName = '', fieldName, ...rest] = key.split('.');
    const type = schema.getType(typeName);
    if (!type || rest.length > 0) {
      unknown.push(key);
    } else if (fieldName === undefined) {
      if (override.weight !== undefined) typeWeights.set(typeName, override.weight);
    } else if (hasOutputField(type, fieldName)) {
      fields.set(key, mergeOverride(fields.get(key), override));
    } else {
      unknown.push(key);
    }
  }
  return unknown;
}

function hasOutputField(type: GraphQLNamedType, fieldName: string): boolean {
  return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
}

function mergeOverride(current: FieldCost | undefined, override: CostOverride): FieldCost {
  const sizing =
    override.assumedSize !== undefined ||
    override.slicingArguments !== undefined ||
    override.sizedFields !== undefined;
  return {
    weight: override.weight ?? current?.weight,
    listSize:
      sizing || current?.listSize
        ? {
            slicingArguments: override.slicingArguments ?? current?.listSize?.slicingArguments,
            assumedSize: override.assumedSize ?? current?.listSize?.assumedSize,
            sizedFields: override.sizedFields ?? current?.listSize?.sizedFields,
          }
        : undefined,
  };
}

function directivesOf(type: GraphQLNamedType): ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
}
