import { Redis } from 'ioredis';
import { stackEndpoints } from '@platform/config';

/**
 * How many connections are subscribed to `channel` on the stack's Redis (PUBSUB NUMSUB): a test
 * that publishes to a live subscriber waits for this, not for a guessed delay, so nothing it
 * causes is published before the gateway's SUBSCRIBE was confirmed.
 */
export async function redisSubscriberCount(
  channel: string,
  url = stackEndpoints().redis.url,
): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    return count;
  } finally {
    redis.disconnect();
  }
}
