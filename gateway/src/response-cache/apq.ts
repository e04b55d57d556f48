import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { RedisConnection } from '@platform/redis';
import type { Logger } from '@platform/logger';
import { degradingCommands, redisOutage } from '../redis/index.js';

/** The KeyValueCache interface Apollo Server's persisted queries read and write. */
export type PersistedQueryCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * Automatic persisted queries in Redis, shared by every gateway process: a query registered
 * through one is found by the others. Apollo Server prefixes its keys with `apq:`, after
 * `keyPrefix`. When Redis fails, `get` answers undefined (the client gets PersistedQueryNotFound
 * and sends the full query) and `set` gives up: APQ degrades, requests never fail because of it.
 * Each outage is logged once, and its end.
 */
export function redisPersistedQueryCache(
  redis: RedisConnection,
  { keyPrefix, logger }: { keyPrefix: string; logger: Logger },
): PersistedQueryCache {
  const outage = redisOutage(logger, {
    down: 'persisted queries: Redis is unreachable, APQ lookups miss',
    up: 'persisted queries: Redis answers again, APQ lookups resume',
  });
  const attempt = degradingCommands(redis, outage);

  return {
    async get(key) {
      return (await attempt(() => redis.get(keyPrefix + key))) ?? undefined;
    },
    async set(key, value, options) {
      const ttl = options?.ttl;
      await attempt(() =>
        ttl
          ? redis.set(keyPrefix + key, value, 'EX', Math.ceil(ttl))
          : redis.set(keyPrefix + key, value),
      );
    },
    async delete(key) {
      await attempt(() => redis.del(keyPrefix + key));
    },
  };
}

/** `extensions.code` of a query sent with a persisted-query hash that is not its SHA-256 (400). */
export const PERSISTED_QUERY_HASH_MISMATCH = 'PERSISTED_QUERY_HASH_MISMATCH';

/** Apollo Server's message for that mismatch, the only thing that tells it apart. */
const HASH_MISMATCH_MESSAGE = 'provided sha does not match query';

/**
 * Apollo Server refuses an APQ hash mismatch with 400 but no code, so the gateway's error
 * formatting took it for an internal error (INTERNAL_SERVER_ERROR, logged at error level). This
 * gives it PERSISTED_QUERY_HASH_MISMATCH and a message saying what to fix, in didEncounterErrors,
 * before anything formats, logs or counts it: list it before those plugins.
 */
export function persistedQueryErrorCodes<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message !== HASH_MISMATCH_MESSAGE || error.extensions.code !== undefined) {
              continue;
            }
            error.message =
              'The persistedQuery sha256Hash is not the SHA-256 of the query sent with it: ' +
              'send the hex SHA-256 of the exact query text';
            (error.extensions as Record<string, unknown>).code = PERSISTED_QUERY_HASH_MISMATCH;
          }
        },
      };
    },
  };
}
