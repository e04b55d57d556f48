import { Redis } from 'ioredis';
import type { Logger } from '@platform/logger';

/**
 * The response cache's own Redis connection (entries, tags, persisted queries). A command slower
 * than `timeoutMs` fails, and while the connection is down commands fail at once instead of
 * queueing (a late write could bring back what an invalidation removed): callers treat both as a
 * bypass. It reconnects in the background; connection errors are the callers' to log, once.
 */
export function createResponseCacheRedis(
  url: string,
  { timeoutMs, logger }: { timeoutMs: number; logger: Logger },
): Redis {
  const redis = new Redis(url, {
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    // How long `disconnect` waits for the socket to close; a socket that failed to connect never
    // reports closing, and the default (2 s) would hold the process open that long.
    disconnectTimeout: 200,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  // Without a listener ioredis prints every failed reconnect; the cache logs outages itself.
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'response cache Redis error'));
  return redis;
}
