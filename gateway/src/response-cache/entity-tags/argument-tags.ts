import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/** A tag named by an argument: `document(id: $id)` is about `Document:<$id>`. */
interface ArgumentTag {
  typeName: string;
  /** A literal, or the variable to read at execution. */
  value: ValueNode;
}

/** Per parsed document (Apollo's document store keeps one object per query), for one schema. */
const byDocument = new WeakMap<DocumentNode, { schema: GraphQLSchema; tags: ArgumentTag[] }>();

/**
 * The entities an operation's arguments name: `id` on a field returning a type with an id
 * (`document(id: 7)` -> `Document:7`), and `<type>Id` naming such a type
 * (`documents(projectId: 7)` -> `Project:7`). They cover responses where the entity itself is
 * absent (a null, an empty list), so its creation still invalidates them. Read from the client's
 * document as sent; nothing is added to it.
 */
export function argumentTagsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): string[] {
  let cached = byDocument.get(document);
  if (cached?.schema !== schema) {
    cached = { schema, tags: collectArgumentTags(schema, document) };
    byDocument.set(document, cached);
  }
  const tags: string[] = [];
  for (const { typeName, value } of cached.tags) {
    const id = scalarValue(value, variables);
    if (id !== undefined) tags.push(`${typeName}:${id}`);
  }
  return tags;
}

function collectArgumentTags(schema: GraphQLSchema, document: DocumentNode): ArgumentTag[] {
  const typeInfo = new TypeInfo(schema);
  const tags: ArgumentTag[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field) return;
        for (const argument of node.arguments ?? []) {
          const typeName = taggedTypeOf(schema, argument, field);
          if (typeName) tags.push({ typeName, value: argument.value });
        }
      },
    }),
  );
  return tags;
}

const ID_ARGUMENT = /^(.+)Id$/;

function taggedTypeOf(
  schema: GraphQLSchema,
  argument: ArgumentNode,
  field: GraphQLField<unknown, unknown>,
): string | undefined {
  const definition = field.args.find((arg) => arg.name === argument.name.value);
  if (!definition || isListType(getNullableType(definition.type))) return undefined;
  const name = argument.name.value;
  if (name === 'id') {
    const returned = getNamedType(field.type);
    return hasScalarId(returned) ? returned.name : undefined;
  }
  const [, stem] = ID_ARGUMENT.exec(name) ?? [];
  if (!stem) return undefined;
  const named = schema.getType(stem.charAt(0).toUpperCase() + stem.slice(1));
  return named && hasScalarId(named) ? named.name : undefined;
}

function hasScalarId(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const idType = type.getFields().id?.type;
  return idType !== undefined && isScalarType(getNullableType(idType));
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
