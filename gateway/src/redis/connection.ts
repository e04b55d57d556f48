import type { Logger } from '@platform/logger';
import {
  createRedisConnection,
  type RedisConnection,
  type RedisPolicy,
  type RedisTarget,
} from '@platform/redis';

/** What a gateway process uses Redis for; each role has its own connection. */
export type RedisRole = 'rate-limit' | 'response-cache' | 'subscriber' | 'cache-invalidation';

/**
 * Every role: a short connect timeout, reconnecting in the background with a capped backoff for as
 * long as Redis is away, and a short `disconnectTimeout` (a stopped gateway is not held open).
 */
const EVERY_ROLE: Omit<RedisPolicy, 'connectionName'> = {
  connectTimeout: 2000,
  disconnectTimeout: 200,
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
};

/**
 * What differs by role, and why:
 * - rate-limit and response-cache answer inside a request: while disconnected a command fails at
 *   once instead of queueing, and one in flight when the connection drops is not resent (a late
 *   cache write could bring back what an invalidation removed); the feature then degrades.
 * - subscriber is in subscriber mode and cannot run commands; it connects on the first
 *   subscription (a gateway nobody subscribes to never touches Redis), and a SUBSCRIBE sent while
 *   Redis is away waits for the reconnect. No ready check: a SUBSCRIBE sent while its INFO is
 *   pending switches the connection to subscriber mode first, and the INFO and the SUBSCRIBE fail.
 * - cache-invalidation is in subscriber mode too, for the response cache's invalidation broadcast,
 *   subscribed from the start (every process with a local tier listens).
 * - both subscriber roles are plain connections to REDIS_URL's node even on a cluster
 *   (`subscribeOnly`): a drop must be seen to resubscribe, catch up and stop trusting the local
 *   tier, and a `Cluster` hides its subscriber's drops.
 */
const BY_ROLE: Record<RedisRole, Omit<RedisPolicy, 'connectionName'>> = {
  'rate-limit': { enableOfflineQueue: false, maxRetriesPerRequest: 0 },
  'response-cache': { enableOfflineQueue: false, maxRetriesPerRequest: 0 },
  subscriber: { lazyConnect: true, enableReadyCheck: false, subscribeOnly: true },
  'cache-invalidation': { enableReadyCheck: false, subscribeOnly: true },
};

export interface RedisConnectionOptions {
  logger: Logger;
  /**
   * A command sent through `degradingCommands` slower than this fails (the response cache's budget
   * per lookup), timed by `withinDeadline` (deadline.ts says why not ioredis's `commandTimeout`).
   */
  commandTimeoutMs?: number;
}

const commandTimeouts = new WeakMap<RedisConnection, number>();

/** The `commandTimeoutMs` the connection was made with, if any. */
export function commandTimeoutOf(redis: RedisConnection): number | undefined {
  return commandTimeouts.get(redis);
}

/**
 * The gateway's one way to connect to Redis: a connection for `role` to `target` (standalone or
 * cluster, from REDIS_URL and REDIS_MODE: `@platform/redis`), named `gateway-<role>` in
 * `CLIENT LIST`. Connection errors go to the debug log (without a listener ioredis prints every
 * failed reconnect); features report outages themselves, once each, with `redisOutage`.
 */
export function connectRedis(
  target: RedisTarget,
  role: RedisRole,
  { logger, commandTimeoutMs }: RedisConnectionOptions,
): RedisConnection {
  const redis = createRedisConnection(target, {
    ...EVERY_ROLE,
    ...BY_ROLE[role],
    connectionName: `gateway-${role}`,
  });
  if (commandTimeoutMs !== undefined) commandTimeouts.set(redis, commandTimeoutMs);
  redis.on('error', (error: Error) => logger.debug({ err: error, redis: role }, 'Redis error'));
  return redis;
}
