import type { PersistedQueryOptions } from '@apollo/server';
import type { Redis } from 'ioredis';
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
  redis: Redis,
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
