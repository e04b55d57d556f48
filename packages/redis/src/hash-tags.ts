import type { RedisConnection } from './connection.js';

/**
 * `tag` as the hash tag of a key on `redis`: `{tag}` on a cluster, where every key of one script
 * or multi-key command must hash to one slot and only the part in braces is hashed; `tag` itself on
 * a standalone server, so the key names of a running standalone deployment never change.
 */
export const hashTagged = (redis: RedisConnection, tag: string): string =>
  redis.isCluster ? `{${tag}}` : tag;
