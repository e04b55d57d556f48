import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * The fields the gateway adds to a query to learn which entities its response holds. Every key
 * with this prefix is removed from the result before anything else sees it.
 */
export const CACHE_FIELD_PREFIX = '__cache';
export const TYPENAME_ALIAS = `${CACHE_FIELD_PREFIX}Typename`;
const ID_ALIAS_PREFIX = `${CACHE_FIELD_PREFIX}Id_`;

export const isCacheField = (key: string) => key.startsWith(CACHE_FIELD_PREFIX);
export const isCacheIdField = (key: string) => key.startsWith(ID_ALIAS_PREFIX);

/** A tag named by an argument: `document(id: $id)` is about `Document:<$id>`. */
export interface ArgumentTag {
  typeName: string;
  /** A literal, or the variable to read at execution. */
  value: ValueNode;
}

export interface TaggedDocument {
  /** The client's document with `__cacheTypename` / `__cacheId_*` added to every selection set. */
  document: DocumentNode;
  argumentTags: ArgumentTag[];
}

/**
 * Adds to every field's selection set `__cacheTypename: __typename` and, where the type has a
 * scalar `id`, `__cacheId_<type>: id` (on an abstract type without `id`, one inline fragment per
 * possible type that has one), so the result names the entities it holds. The alias carries the id
 * field's type, so ids of different types (`ID!` here, `ID` there) never have to merge.
 * Introspection selections are left alone. Also collects the tags arguments name (`id` on a field
 * returning an entity type, `<type>Id` naming a type: `documents(projectId: 7)` -> `Project:7`),
 * which cover responses where the entity is absent (a null, an empty list).
 */
export function tagDocument(schema: GraphQLSchema, document: DocumentNode): TaggedDocument {
  const typeInfo = new TypeInfo(schema);
  const argumentTags: ArgumentTag[] = [];
  const tagged = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          const field = typeInfo.getFieldDef();
          if (field) argumentTags.push(...argumentTagsOf(schema, node, field));
        },
      },
      SelectionSet: {
        leave(node, _key, parent) {
          if (!isFieldNode(parent)) return undefined;
          const type = typeInfo.getParentType();
          if (!type || type.name.startsWith('__')) return undefined;
          return withCacheFields(schema, type, node);
        },
      },
    }),
  );
  return { document: tagged, argumentTags };
}

function isFieldNode(node: unknown): node is FieldNode {
  return typeof node === 'object' && node !== null && 'kind' in node && node.kind === Kind.FIELD;
}

function withCacheFields(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
): SelectionSetNode {
  const added: SelectionNode[] = [aliasedField(TYPENAME_ALIAS, '__typename')];
  const ownId = isAbstractType(type) && !isInterfaceType(type) ? undefined : idAlias(type);
  if (ownId) {
    added.push(aliasedField(ownId, 'id'));
  } else if (isAbstractType(type)) {
    for (const possible of schema.getPossibleTypes(type)) {
      const alias = idAlias(possible);
      if (alias) added.push(inlineFragment(possible, aliasedField(alias, 'id')));
    }
  }
  return { ...selectionSet, selections: [...selectionSet.selections, ...added] };
}

/** The alias of `id` on `type`, or undefined when it has no scalar `id`. */
function idAlias(type: GraphQLCompositeType): string | undefined {
  if (!isObjectType(type) && !isInterfaceType(type)) return undefined;
  const idType = type.getFields().id?.type;
  if (!idType) return undefined;
  const inner = isNonNullType(idType) ? idType.ofType : idType;
  if (!isScalarType(inner)) return undefined;
  return `${ID_ALIAS_PREFIX}${inner.name}${isNonNullType(idType) ? '' : '_nullable'}`;
}

const aliasedField = (alias: string, name: string): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: alias },
  name: { kind: Kind.NAME, value: name },
});

const inlineFragment = (type: GraphQLObjectType, field: FieldNode): InlineFragmentNode => ({
  kind: Kind.INLINE_FRAGMENT,
  typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type.name } },
  selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
});

const ID_ARGUMENT = /^(.+)Id$/;

function argumentTagsOf(
  schema: GraphQLSchema,
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
): ArgumentTag[] {
  const tags: ArgumentTag[] = [];
  for (const argument of node.arguments ?? []) {
    const typeName = taggedTypeOf(schema, argument, field);
    if (typeName) tags.push({ typeName, value: argument.value });
  }
  return tags;
}

function taggedTypeOf(
  schema: GraphQLSchema,
  argument: ArgumentNode,
  field: GraphQLField<unknown, unknown>,
): string | undefined {
  const definition = field.args.find((arg) => arg.name === argument.name.value);
  if (
    !definition ||
    isListType(isNonNullType(definition.type) ? definition.type.ofType : definition.type)
  )
    return undefined;
  const name = argument.name.value;
  if (name === 'id') {
    const returned = getNamedType(field.type);
    return isObjectType(returned) && idAlias(returned) ? returned.name : undefined;
  }
  const [, stem] = ID_ARGUMENT.exec(name) ?? [];
  if (!stem) return undefined;
  const named = schema.getType(stem.charAt(0).toUpperCase() + stem.slice(1));
  return isObjectType(named) && idAlias(named) ? named.name : undefined;
}

/** The tags of `argumentTags` with this request's variables; absent or non-scalar values give none. */
export function resolveArgumentTags(
  argumentTags: readonly ArgumentTag[],
  variables: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const tags: string[] = [];
  for (const { typeName, value } of argumentTags) {
    const id = scalarValue(value, variables);
    if (id !== undefined) tags.push(`${typeName}:${id}`);
  }
  return tags;
}

function scalarValue(
  value: ValueNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  switch (value.kind) {
    case Kind.STRING:
    case Kind.INT:
      return value.value;
    case Kind.VARIABLE: {
      const given = variables?.[value.name.value];
      return typeof given === 'string' || typeof given === 'number' ? String(given) : undefined;
    }
    default:
      return undefined;
  }
}
