import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './settings.js';

/** A connection to a standalone Redis or to a Redis Cluster: the commands callers use are alike. */
export type RedisConnection = Redis | Cluster;

/**
 * How one use of Redis behaves (its owner decides; the target decides where and who): the ioredis
 * options that mean the same on a standalone server and on a cluster.
 */
export interface RedisPolicy {
  /** Names the connection in `CLIENT LIST` (a cluster's node connections carry it too). */
  connectionName: string;
  connectTimeout?: number;
  /**
   * How long `disconnect` waits for the socket to close (an option ioredis's types omit; a socket
   * that failed to connect never reports closing, and the 2 s default holds a stopping process).
   */
  disconnectTimeout?: number;
  /** Delay before reconnect attempt `attempt`, null: give up (a cluster's `clusterRetryStrategy`). */
  retryStrategy?: (attempt: number) => number | null;
  lazyConnect?: boolean;
  /** False: while disconnected a command fails at once instead of waiting for the reconnect. */
  enableOfflineQueue?: boolean;
  enableReadyCheck?: boolean;
  maxRetriesPerRequest?: number | null;
  /**
   * True for a connection that only subscribes (classic pub/sub). On a cluster it is then a plain
   * connection to the target's node rather than a `Cluster`: every node hears every PUBLISH, and
   * a plain connection reports its drops and reconnects (`close`, `ready`), which its owner needs
   * to resubscribe and catch up; a `Cluster` moves its subscriber to another node silently.
   */
  subscribeOnly?: boolean;
}

/**
 * The platform's one way to build a Redis connection: `new Redis` for a standalone target (and
 * for a subscriber, `subscribeOnly`), `new Cluster` seeded with the target's node for a cluster
 * (the other nodes come from CLUSTER SLOTS), each with the target's ACL credentials, database and
 * TLS (and private CA).
 */
export function createRedisConnection(target: RedisTarget, policy: RedisPolicy): RedisConnection {
  const {
    connectionName,
    connectTimeout,
    disconnectTimeout,
    retryStrategy,
    lazyConnect,
    enableOfflineQueue,
    enableReadyCheck,
    maxRetriesPerRequest,
    subscribeOnly = false,
  } = policy;
  const node: RedisOptions & { disconnectTimeout?: number } = defined({
    username: target.username,
    password: target.password,
    tls: target.tls,
    connectionName,
    connectTimeout,
    disconnectTimeout,
    maxRetriesPerRequest,
  });
  if (target.mode === 'standalone' || subscribeOnly) {
    return new Redis({
      ...node,
      ...defined({ retryStrategy, lazyConnect, enableOfflineQueue, enableReadyCheck }),
      host: target.host,
      port: target.port,
      db: target.db,
    });
  }
  return new Cluster(
    [{ host: target.host, port: target.port }],
    defined({
      redisOptions: node,
      clusterRetryStrategy: retryStrategy,
      lazyConnect,
      enableOfflineQueue,
      enableReadyCheck,
    }),
  );
}

/** `options` without the undefined ones, so ioredis's defaults apply to what a policy leaves out. */
function defined<T extends object>(options: T): T {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as T;
}
