import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { Principal } from '@platform/identity';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { createKafka } from '@platform/events';
import type { Logger } from '@platform/logger';
import { redisPersistedQueryCache } from './apq.js';
import {
  startCacheInvalidationConsumer,
  type CacheInvalidationConsumer,
} from './event-invalidation.js';
import { createResponseCacheMetrics } from './metrics.js';
import type { ResponseCacheConfig } from './config.js';
import { responseCachePlugin } from './plugin.js';
import { responseCacheStore, type ResponseCacheStore } from './store.js';

/** Every key the gateway writes to Redis for the cache and persisted queries starts with it. */
export const GATEWAY_CACHE_KEY_PREFIX = 'gateway:cache:';

/** What the cache needs of a request's context (the gateway's GatewayContext has it). */
export interface CallerContext {
  principal: Principal;
}

export interface GatewayResponseCache {
  /** The cache step, for ApolloServer's plugins. */
  plugin: ApolloServerPlugin<CallerContext>;
  /** ApolloServer's `persistedQueries`: APQ in Redis, shared by every gateway process. */
  persistedQueries: PersistedQueryOptions;
  store: ResponseCacheStore;
  /** Resolves once Redis first answers (until then every request bypasses the cache). */
  redisReady: Promise<void>;
  /** Stops consuming events. */
  stop: () => Promise<void>;
}

/**
 * The response cache and persisted queries of one gateway process, on its `response-cache` Redis
 * connection (`connectRedis`: a short command timeout, no offline queue; its owner closes it), the
 * metrics on `registry`, and (when enabled and `consumeEvents`) the Kafka consumer that invalidates
 * what events make stale, started in the background.
 */
export function startGatewayResponseCache({
  config,
  redis,
  registry,
  logger,
  consumeEvents = true,
  keyPrefix = GATEWAY_CACHE_KEY_PREFIX,
}: {
  config: ResponseCacheConfig;
  redis: Redis;
  registry: Registry;
  logger: Logger;
  /** False in tests that do not want a Kafka consumer per gateway. */
  consumeEvents?: boolean;
  keyPrefix?: string;
}): GatewayResponseCache {
  const log = logger.child({ component: 'response-cache' });
  const store = responseCacheStore({
    redis,
    keyPrefix,
    logger: log,
    metrics: createResponseCacheMetrics(registry),
  });
  const enabled = config.enabled;
  const consumer: CacheInvalidationConsumer | undefined =
    enabled && consumeEvents
      ? startCacheInvalidationConsumer({
          kafka: createKafka('gateway', config.kafkaBrokers, log),
          store,
          logger: log,
        })
      : undefined;

  return {
    plugin: responseCachePlugin<CallerContext>({
      store,
      getPrincipal: (context) => context.principal,
      enabled,
      untagged: config.untagged,
    }),
    persistedQueries: {
      cache: redisPersistedQueryCache(redis, { keyPrefix, logger: log }),
      ttl: config.apqTtlSeconds,
    },
    store,
    redisReady: new Promise((resolve) => {
      if (redis.status === 'ready') resolve();
      else redis.once('ready', () => resolve());
    }),
    stop: async () => {
      await consumer?.stop();
    },
  };
}
