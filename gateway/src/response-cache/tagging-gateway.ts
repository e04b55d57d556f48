import { createHash } from 'node:crypto';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { getOperationAST, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { resolveArgumentTags, tagDocument, type TaggedDocument } from './entity-tag-document.js';
import { takeEntityTags } from './entity-tag-result.js';

/** Apollo Server's gateway contract (what `ApolloGateway` implements). */
export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];

/**
 * The entity tags of each executed request, keyed by the request's `metrics` object: Apollo
 * Server hands that same object to the gateway executor and to every plugin hook, and it lives
 * exactly as long as the request.
 */
const tagsByRequest = new WeakMap<object, ReadonlySet<string>>();

/**
 * The entities (`Document:42`) the response of this request holds, and those its arguments name;
 * undefined when the gateway did not execute it (served from the cache, refused earlier) or could
 * not tag it: such a response must not be cached, its invalidation would be unknown.
 */
export function entityTagsOf(request: { metrics: object }): ReadonlySet<string> | undefined {
  return tagsByRequest.get(request.metrics);
}

export interface TaggingGatewayOptions {
  /** Tagged documents kept, by query hash. */
  maxDocuments?: number;
}

/**
 * Wraps the gateway so every operation runs with `__cacheTypename` / `__cacheId_*` added to its
 * selection sets (`tagDocument`, cached per query hash), then takes the entity tags out of the
 * result and strips those fields before Apollo Server, its plugins or the client see it. Loading,
 * schema updates and stopping are the inner gateway's.
 */
export function taggingGateway(
  inner: GatewayInterface,
  { maxDocuments = 1000 }: TaggingGatewayOptions = {},
): GatewayInterface {
  const documents = new LRUCache<string, { schema: GraphQLSchema; tagged: TaggedDocument }>({
    max: maxDocuments,
  });

  const taggedDocumentOf = (request: GatewayRequestContext): TaggedDocument => {
    const cached = documents.get(request.queryHash);
    if (cached?.schema === request.schema) return cached.tagged;
    const tagged = tagDocument(request.schema, request.document);
    documents.set(request.queryHash, { schema: request.schema, tagged });
    return tagged;
  };

  const withTags =
    (execute: GatewayExecutor): GatewayExecutor =>
    async (request) => {
      let tagged: TaggedDocument;
      try {
        tagged = taggedDocumentOf(request);
      } catch (error) {
        // Never fail a request over tagging: it runs as sent, and stays out of the cache.
        request.logger.warn(`entity tagging failed, not caching this response: ${String(error)}`);
        return execute(request);
      }
      const { document, argumentTags } = tagged;
      const operation = getOperationAST(document, request.operationName);
      if (!operation) return execute(request);

      const result = await execute({
        ...request,
        document,
        operation,
        // The query plan cache is keyed by query hash: the tagged document plans differently.
        queryHash: createHash('sha256').update(`entity-tags:${request.queryHash}`).digest('hex'),
      });
      const tags = takeEntityTags(result.data);
      for (const tag of resolveArgumentTags(argumentTags, request.request.variables)) tags.add(tag);
      tagsByRequest.set(request.metrics, tags);
      return result;
    };

  return {
    onSchemaLoadOrUpdate: (callback) => inner.onSchemaLoadOrUpdate(callback),
    stop: () => inner.stop(),
    async load(options) {
      const { executor } = await inner.load(options);
      return { executor: executor && withTags(executor) };
    },
  };
}
