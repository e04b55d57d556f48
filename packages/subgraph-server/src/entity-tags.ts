import type { ApolloServerPlugin } from '@apollo/server';
import {
  isObjectType,
  isScalarType,
  getNullableType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

/**
 * The response extension in which a subgraph reports the entities its answer holds, as
 * `Type:id` tags (`["Document:42", "User:7"]`). The gateway's response cache tags the client's
 * response with them, so a mutation or an event about `Document:42` invalidates it; the gateway
 * removes the extension before anything else sees the subgraph's answer. A subgraph that does not
 * send it makes the responses it takes part in untagged (see the gateway's
 * RESPONSE_CACHE_UNTAGGED). Any subgraph, in any language, can implement it: an array of strings
 * `<__typename>:<id>` for every object with a scalar `id` it resolved fields of.
 */
export const ENTITY_TAGS_EXTENSION = 'entityTags';

/**
 * The request header by which the gateway asks for the extension (`x-gateway-entity-tags: 1`);
 * other callers get answers without it, and the subgraph does none of the work.
 */
export const ENTITY_TAGS_REQUEST_HEADER = 'x-gateway-entity-tags';

type IdOf = (source: object, context: unknown, info: unknown) => unknown;

/**
 * Reports `Type:id` for every object with a scalar `id` field whose fields this subgraph resolved,
 * whether or not the operation selected `id`: the id is read through the type's own `id`
 * resolver when it has one (stores keep `_id`), else from the object's `id` property. Each object
 * is read once per request (a WeakSet), so the per-field cost is one map lookup. Only requests
 * that ask with ENTITY_TAGS_REQUEST_HEADER get (and pay for) it.
 */
export function entityTagsPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  const idReaders = new Map<string, IdOf>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const idField = type.getFields().id;
    if (!idField || !isScalarType(getNullableType(idField.type))) continue;
    const resolve = idField.resolve as GraphQLFieldResolver<object, unknown> | undefined;
    idReaders.set(
      type.name,
      resolve
        ? (source, context, info) => resolve(source, {}, context, info as never)
        : (source) => (source as { id?: unknown }).id,
    );
  }

  return {
    async requestDidStart({ request }) {
      if (!request.http?.headers.get(ENTITY_TAGS_REQUEST_HEADER)) return {};
      const tags = new Set<string>();
      const seen = new WeakSet<object>();
      return {
        async executionDidStart() {
          return {
            willResolveField({ source, contextValue, info }) {
              if (source === null || typeof source !== 'object' || seen.has(source)) return;
              const idOf = idReaders.get(info.parentType.name);
              if (!idOf) return;
              seen.add(source);
              const id = idOf(source, contextValue, info);
              if (typeof id === 'string' || typeof id === 'number') {
                tags.add(`${info.parentType.name}:${id}`);
              }
            },
          };
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [ENTITY_TAGS_EXTENSION]: [...tags] };
        },
      };
    },
  };
}
