import { Cluster } from 'ioredis';
import { stackEndpoints } from '@platform/config';
import { createRedisConnection, redisTargetOf, type RedisTarget } from '@platform/redis';

/**
 * How many connections are subscribed to `channel` (PUBSUB NUMSUB) on the stack's Redis, or on
 * every primary of a cluster (each node counts only its own clients): a test that publishes to a
 * live subscriber waits for this, not for a guessed delay, so nothing it causes is published
 * before the gateway's SUBSCRIBE was confirmed.
 */
export async function redisSubscriberCount(
  channel: string,
  target: RedisTarget | string = stackEndpoints().redis.url,
): Promise<number> {
  const redis = createRedisConnection(typeof target === 'string' ? redisTargetOf(target) : target, {
    connectionName: 'test-subscriber-count',
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    const counts = await Promise.all(
      nodes.map(async (node) => {
        const [, count] = (await node.pubsub('NUMSUB', channel)) as [string, number];
        return count;
      }),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  } finally {
    redis.disconnect();
  }
}
