import { z } from 'zod';
import { env, stackEndpoints, type SettingsOf } from '@platform/config';
import {
  consumerTiming,
  consumerTimingSettings,
  kafkaConnectionSettings,
  kafkaSecurity,
  type ConsumerTiming,
  type KafkaSecurity,
} from '@platform/events';
import type { UntaggedResponses } from './plugin.js';

/**
 * The response cache's environment variables, a shape the gateway's config schema extends (the
 * cache shares REDIS_URL with the subscriptions and the rate limiter).
 */
export const responseCacheSettings = {
  /** `false` turns the response cache off (persisted queries stay on). */
  RESPONSE_CACHE_ENABLED: z.stringbool().default(true),
  /**
   * `skip`: a response that some subgraph did not report the entities of (the `entityTags`
   * extension of `@platform/subgraph-server`) is not cached, since nothing could invalidate it;
   * `ttl`: it is cached for its maxAge and only expires.
   */
  RESPONSE_CACHE_UNTAGGED: z.enum(['skip', 'ttl']).default('skip'),
  /** A Redis answer slower than this skips the cache for that request (a bypass). */
  RESPONSE_CACHE_REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(50),
  /**
   * `false`: every hit goes through Apollo Server's whole pipeline; `true` (the default): a hit is
   * answered before parsing, by the fast path (fast-path.ts), authenticated, authorized, charged
   * and headed exactly as the normal path would.
   */
  RESPONSE_CACHE_FAST_PATH_ENABLED: z.stringbool().default(true),
  /**
   * `true` (the default): each gateway process keeps the entries it read from Redis in memory
   * (local-tier.ts), dropped by the invalidations every process broadcasts over Redis pub/sub.
   */
  RESPONSE_CACHE_LOCAL_ENABLED: z.stringbool().default(true),
  /** The most bytes of entries the local tier of one process holds (the LRU drops the rest). */
  RESPONSE_CACHE_LOCAL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** How long a registered persisted query stays in Redis without being registered again. */
  APQ_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** Comma-separated host:port list: the events that invalidate cached responses. */
  KAFKA_BROKERS: env.csv(''),
  ...consumerTimingSettings,
  /** TLS and SASL to the brokers (a managed Kafka); unset: plaintext. */
  ...kafkaConnectionSettings,
};

/** The settings whose defaults come from the local stack's ports (`.extend` them in). */
export const responseCacheStackDefaults = (source: NodeJS.ProcessEnv) => ({
  KAFKA_BROKERS: env
    .csv(stackEndpoints(source).kafka.brokers.join(','))
    .refine((brokers) => brokers.length > 0, 'must name at least one broker'),
});

export type ResponseCacheSettings = SettingsOf<typeof responseCacheSettings>;

export interface ResponseCacheConfig {
  enabled: boolean;
  untagged: UntaggedResponses;
  fastPath: boolean;
  /** The in-process tier's byte bound, or undefined when it is off. */
  localMaxBytes: number | undefined;
  /** A Redis command slower than this is a bypass (the `response-cache` connection's timeout). */
  redisTimeoutMs: number;
  apqTtlSeconds: number;
  kafkaBrokers: string[];
  /** TLS, SASL and client id of the invalidation consumer's client (KAFKA_SSL, KAFKA_SASL_*, ...). */
  kafkaSecurity?: KafkaSecurity;
  /** The invalidation consumer's group timing (KAFKA_SESSION_TIMEOUT_MS, ...); unset: defaults. */
  consumerTiming?: ConsumerTiming;
}

export const responseCacheConfig = (settings: ResponseCacheSettings): ResponseCacheConfig => ({
  enabled: settings.RESPONSE_CACHE_ENABLED,
  untagged: settings.RESPONSE_CACHE_UNTAGGED,
  fastPath: settings.RESPONSE_CACHE_FAST_PATH_ENABLED,
  localMaxBytes: settings.RESPONSE_CACHE_LOCAL_ENABLED
    ? settings.RESPONSE_CACHE_LOCAL_MAX_BYTES
    : undefined,
  redisTimeoutMs: settings.RESPONSE_CACHE_REDIS_TIMEOUT_MS,
  apqTtlSeconds: settings.APQ_TTL_SECONDS,
  kafkaBrokers: settings.KAFKA_BROKERS,
  kafkaSecurity: kafkaSecurity(settings),
  consumerTiming: consumerTiming(settings),
});
