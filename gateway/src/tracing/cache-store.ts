import { inSpan } from '@platform/telemetry';
import type { ResponseCacheStore } from '../response-cache/store.js';

const TRACER = '@platform/gateway';

/**
 * The response cache's Redis steps as spans of the request's trace: `gateway.cache.lookup` with
 * `platform.cache.result` hit, miss or bypass (Redis unreachable: served without the cache),
 * `gateway.cache.store` and `gateway.cache.invalidate`. Wraps the store, so the plugin and the
 * fast path are traced alike.
 */
export function tracedCacheStore(store: ResponseCacheStore): ResponseCacheStore {
  return {
    lookup: (operation, principalKey, options) =>
      inSpan(
        TRACER,
        'gateway.cache.lookup',
        { attributes: { 'platform.cache.private_key': principalKey !== undefined } },
        async (span) => {
          const lookup = await store.lookup(operation, principalKey, options);
          const result = lookup === undefined ? 'bypass' : lookup.hit ? 'hit' : 'miss';
          span.setAttribute('platform.cache.result', result);
          if (lookup?.hit) span.setAttribute('platform.cache.scope', lookup.hit.scope);
          return lookup;
        },
      ),
    store: (response) =>
      inSpan(
        TRACER,
        'gateway.cache.store',
        { attributes: { 'platform.cache.scope': response.scope } },
        async (span) => {
          const stored = await store.store(response);
          span.setAttribute('platform.cache.stored', stored);
          return stored;
        },
      ),
    invalidate: (tags, source) =>
      inSpan(TRACER, 'gateway.cache.invalidate', {}, async (span) => {
        const invalidated = await store.invalidate(tags, source);
        span.setAttribute('platform.cache.invalidated', invalidated);
        return invalidated;
      }),
  };
}
