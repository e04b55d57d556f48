import type {
  ApolloServerPlugin,
  GraphQLRequestContext,
  PersistedQueryOptions,
} from '@apollo/server';
import type { RequestHandler } from 'express';
import type { Principal } from '@platform/identity';
import type { RedisConnection } from '@platform/redis';
import type { Registry } from 'prom-client';
import { createKafka } from '@platform/events';
import type { Logger } from '@platform/logger';
import { operationRootFields } from '../auth/authorize-operation.js';
import type { PricedContext } from '../cost/index.js';
import { countTokens } from '../cost/tokens.js';
import { requestScope } from '../http/request-id.js';
import { redisPersistedQueryCache } from './apq.js';
import type { EntryAdmission } from './entry.js';
import { responseCacheFastPath, type FastPathGate } from './fast-path.js';
import { invalidationBroadcast, type InvalidationBroadcast } from './invalidation-broadcast.js';
import { localTier } from './local-tier.js';
import {
  startCacheInvalidationConsumer,
  type CacheInvalidationConsumer,
} from './event-invalidation.js';
import { createResponseCacheMetrics } from './metrics.js';
import type { ResponseCacheConfig } from './config.js';
import { responseCachePlugin } from './plugin.js';
import { responseCacheStore, type ResponseCacheStore } from './store.js';
import { tracedCacheStore } from '../tracing/index.js';

/** Every key the gateway writes to Redis for the cache and persisted queries starts with it. */
export const GATEWAY_CACHE_KEY_PREFIX = 'gateway:cache:';

/** What the cache needs of a request's context (the gateway's GatewayContext has it). */
export interface CallerContext extends PricedContext {
  principal: Principal;
  /** An operation the gateway runs itself for a subscriber (GatewayContext's `internal`). */
  internal?: boolean;
}

export interface GatewayResponseCache {
  /** The cache step, for ApolloServer's plugins. */
  plugin: ApolloServerPlugin<CallerContext>;
  /** ApolloServer's `persistedQueries`: APQ in Redis, shared by every gateway process. */
  persistedQueries: PersistedQueryOptions;
  store: ResponseCacheStore;
  /**
   * The Express handler that answers hits before Apollo Server (mount it right before it), with
   * the normal path's steps in `gate`; undefined when the cache or its fast path is off.
   */
  fastPath: (gate: FastPathGate) => RequestHandler | undefined;
  /** Resolves once Redis first answers (until then every request bypasses the cache). */
  redisReady: Promise<void>;
  /** Stops consuming events. */
  stop: () => Promise<void>;
}

/**
 * The response cache and persisted queries of one gateway process, on its `response-cache` Redis
 * connection (`connectRedis`: a short command timeout, no offline queue; its owner closes it), the
 * metrics on `registry`, (when enabled and given a `subscriber`) the in-process tier kept by the
 * invalidation broadcast, and (when enabled and `consumeEvents`) the Kafka consumer that
 * invalidates what events make stale, started in the background.
 */
export function startGatewayResponseCache({
  config,
  redis,
  subscriber,
  registry,
  logger,
  consumeEvents = true,
  keyPrefix = GATEWAY_CACHE_KEY_PREFIX,
}: {
  config: ResponseCacheConfig;
  redis: RedisConnection;
  /**
   * A `cache-invalidation` connection (`connectRedis`) for the broadcast that keeps the local
   * tier correct; without it there is no local tier. Closed by `stop`.
   */
  subscriber?: RedisConnection;
  registry: Registry;
  logger: Logger;
  /** False in tests that do not want a Kafka consumer per gateway. */
  consumeEvents?: boolean;
  keyPrefix?: string;
}): GatewayResponseCache {
  const log = logger.child({ component: 'response-cache' });
  const metrics = createResponseCacheMetrics(registry);
  const enabled = config.enabled;
  let broadcast: InvalidationBroadcast | undefined;
  let local: Parameters<typeof responseCacheStore>[0]['local'];
  if (enabled && subscriber && config.localMaxBytes !== undefined) {
    const tier = localTier({ maxBytes: config.localMaxBytes });
    broadcast = invalidationBroadcast({
      publisher: redis,
      subscriber,
      channel: `${keyPrefix}invalidations`,
      onInvalidate: (tags) => tier.drop(tags),
      onLost: () => tier.clear(),
      logger: log,
    });
    local = { tier, broadcast };
  } else {
    subscriber?.disconnect();
  }
  // Lookups, stores and invalidations are spans of their request's trace.
  const store = tracedCacheStore(
    responseCacheStore({ redis, keyPrefix, logger: log, metrics, local }),
  );
  const persistedQueryCache = redisPersistedQueryCache(redis, { keyPrefix, logger: log });
  const consumer: CacheInvalidationConsumer | undefined =
    enabled && consumeEvents
      ? startCacheInvalidationConsumer({
          kafka: createKafka('gateway', config.kafkaBrokers, log, config.kafkaSecurity),
          store,
          logger: log,
          timing: config.consumerTiming,
          metrics: registry,
        })
      : undefined;

  return {
    plugin: responseCachePlugin<CallerContext>({
      store,
      getPrincipal: (context) => context.principal,
      enabled,
      untagged: config.untagged,
      admissionOf,
      isExempt: (context) => context.internal === true,
    }),
    persistedQueries: { cache: persistedQueryCache, ttl: config.apqTtlSeconds },
    store,
    fastPath: (gate) =>
      enabled && config.fastPath
        ? responseCacheFastPath({
            store,
            persistedQueries: persistedQueryCache,
            gate,
            metrics,
            requestIdOf: (res) => requestScope(res)?.requestId ?? '',
          })
        : undefined,
    redisReady: new Promise((resolve) => {
      if (redis.status === 'ready') resolve();
      else redis.once('ready', () => resolve());
    }),
    stop: async () => {
      await consumer?.stop();
      await broadcast?.close();
    },
  };
}

/** The price the cost step put on the context and the root fields authorization looks at. */
function admissionOf({
  contextValue,
  operation,
  document,
  source,
}: GraphQLRequestContext<CallerContext>): EntryAdmission | undefined {
  const measure = contextValue.cost;
  if (!measure || !operation || !document || source === undefined) return undefined;
  return {
    measure: { ...measure, tokens: countTokens(source) },
    rootFieldNames: operationRootFields(operation, document),
  };
}
