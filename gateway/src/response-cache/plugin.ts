import {
  HeaderMap,
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestContext,
} from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { Principal } from '@platform/identity';
import {
  principalCacheKey,
  principalTag,
  requestIdentity,
  type CacheScope,
  type OperationIdentity,
} from './cache-keys.js';
import type { EntryAdmission } from './entry.js';
import type { Lookup, ResponseCacheStore } from './store.js';
import { argumentTagsOf, entityTagsOf } from './entity-tags/index.js';

export interface ResponseCachePluginOptions<TContext extends BaseContext> {
  store: ResponseCacheStore;
  getPrincipal: (context: TContext) => Principal;
  /** When false the plugin does nothing (RESPONSE_CACHE_ENABLED). */
  enabled?: boolean;
  /**
   * A response some subgraph did not report the entities of cannot be invalidated: `skip` does
   * not cache it, `ttl` caches it for its maxAge only (RESPONSE_CACHE_UNTAGGED).
   * @default 'skip'
   */
  untagged?: UntaggedResponses;
  /**
   * What the fast path needs to serve an entry (its price and root fields), stored with it;
   * without it entries are served by this plugin only.
   */
  admissionOf?: (requestContext: GraphQLRequestContext<TContext>) => EntryAdmission | undefined;
  /**
   * Operations the cache neither answers nor stores: the gateway's own resolution of a live
   * message for a subscriber, which must read the change it announces (the subgraph publishes it
   * before the mutation's invalidation, or the event's, has reached the cache).
   */
  isExempt?: (context: TContext) => boolean;
}

export type UntaggedResponses = 'skip' | 'ttl';

export const cacheControl = (maxAge: number, scope: CacheScope) =>
  `max-age=${maxAge}, ${scope.toLowerCase()}`;

/**
 * The response cache step. Entity tags come from the operation's subgraph fetches (the data
 * source records them, `entity-tags/`) and from its arguments; the operation is never rewritten.
 * - Queries: before execution, the PUBLIC entry and then the caller's PRIVATE entry are looked up
 *   (anonymous callers have none); a hit is answered with `Age` and `Cache-Control: max-age=<the
 *   rest of its life>`. After execution, a response without errors whose policy (the most
 *   restrictive Cache-Control the subgraphs sent) is cacheable is stored for its maxAge, tagged
 *   with its entities, and sent with `Cache-Control` and `Age: 0`.
 * - Mutations are never cached (`Cache-Control: no-store`); before the response is sent, every
 *   entity in it or named by its arguments is invalidated, and so is every PRIVATE entry of the
 *   caller's user, so the caller's next read sees the write.
 * When Redis fails, every step is skipped and the request is served as if there were no cache.
 */
export function responseCachePlugin<TContext extends BaseContext>({
  store,
  getPrincipal,
  enabled = true,
  untagged = 'skip',
  admissionOf,
  isExempt,
}: ResponseCachePluginOptions<TContext>): ApolloServerPlugin<TContext> {
  if (!enabled) return {};
  return {
    async requestDidStart({ contextValue }) {
      if (isExempt?.(contextValue)) return {};
      let operationIdentity: OperationIdentity | undefined;
      let lookup: Lookup | undefined;
      let servedFromCache = false;
      let reachedExecution = false;

      return {
        async responseForOperation(requestContext) {
          reachedExecution = true;
          const { operation, contextValue, queryHash, request } = requestContext;
          if (operation.operation !== OperationTypeNode.QUERY || !queryHash) return null;
          operationIdentity = requestIdentity(queryHash, request.operationName, request.variables);
          lookup = await store.lookup(
            operationIdentity,
            principalCacheKey(getPrincipal(contextValue)),
          );
          const hit = lookup?.hit;
          if (!hit) return null;

          servedFromCache = true;
          requestContext.metrics.responseCacheHit = true;
          requestContext.overallCachePolicy.replace({ maxAge: hit.remaining, scope: hit.scope });
          return {
            http: {
              status: undefined,
              headers: new HeaderMap([
                ['cache-control', cacheControl(hit.remaining, hit.scope)],
                ['age', String(hit.age)],
              ]),
            },
            body: { kind: 'single', singleResult: hit.result },
          };
        },

        async willSendResponse(requestContext) {
          const { operation, response, contextValue, overallCachePolicy } = requestContext;
          if (servedFromCache || !reachedExecution || !operation) return;
          const principal = getPrincipal(contextValue);

          if (operation.operation === OperationTypeNode.MUTATION) {
            response.http.headers.set('cache-control', 'no-store');
            const tags = withArgumentTags(entityTagsOf(requestContext).tags, requestContext);
            const callerTag = principalTag(principal);
            if (callerTag) tags.add(callerTag);
            await store.invalidate(tags, 'mutation');
            return;
          }

          if (!lookup || !operationIdentity || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          // Only the data is kept: extensions (the operation's price) belong to each response.
          if (singleResult.errors?.length || singleResult.data == null) return;
          const policy = overallCachePolicy.policyIfCacheable();
          const principalKey = principalCacheKey(principal);
          if (!policy || (policy.scope === 'PRIVATE' && !principalKey)) return;
          const fetched = entityTagsOf(requestContext);
          if (fetched.unreported.size > 0 && untagged === 'skip') return;
          const tags = withArgumentTags(fetched.tags, requestContext);

          response.http.headers.set('cache-control', cacheControl(policy.maxAge, policy.scope));
          response.http.headers.set('age', '0');
          const callerTag = policy.scope === 'PRIVATE' ? principalTag(principal) : undefined;
          await store.store({
            operation: operationIdentity,
            principalKey,
            result: { data: singleResult.data },
            scope: policy.scope,
            maxAge: policy.maxAge,
            tags: callerTag ? [...tags, callerTag] : tags,
            sequence: lookup.sequence,
            admission: admissionOf?.(requestContext),
          });
        },
      };
    },
  };
}

/** The fetched entities plus those the operation's arguments name. */
function withArgumentTags(
  fetched: ReadonlySet<string>,
  {
    schema,
    document,
    request,
  }: Pick<GraphQLRequestContext<BaseContext>, 'schema' | 'document' | 'request'>,
): Set<string> {
  const tags = new Set(fetched);
  if (document)
    for (const tag of argumentTagsOf(schema, document, request.variables)) tags.add(tag);
  return tags;
}
