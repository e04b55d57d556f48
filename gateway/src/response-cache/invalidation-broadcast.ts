import type { RedisConnection } from '@platform/redis';
import type { Logger } from '@platform/logger';

/**
 * Every invalidation, whichever gateway process made it (a mutation it served, or a Kafka event
 * its consumer-group partition received), published on one Redis channel so every process drops
 * the entries it holds in its local tier.
 */
export interface InvalidationBroadcast {
  /** Publishes `tags`; resolves once Redis has handed them to every subscriber, false on failure. */
  publish(tags: readonly string[]): Promise<boolean>;
  /**
   * True while this process's subscription is confirmed: only then can a local entry be trusted,
   * since any invalidation published meanwhile would have reached it.
   */
  listening(): boolean;
  close(): Promise<void>;
}

export interface InvalidationBroadcastOptions {
  /** A command connection (the response cache's). */
  publisher: RedisConnection;
  /** A connection of its own in subscriber mode (`connectRedis(target, 'cache-invalidation')`). */
  subscriber: RedisConnection;
  channel: string;
  /** Called with the tags of every invalidation published by any process, this one included. */
  onInvalidate: (tags: string[]) => void;
  /** Called when the subscription is lost: whatever was published until it is back is missed. */
  onLost: () => void;
  logger: Logger;
}

export function invalidationBroadcast({
  publisher,
  subscriber,
  channel,
  onInvalidate,
  onLost,
  logger,
}: InvalidationBroadcastOptions): InvalidationBroadcast {
  let confirmed = false;
  let closed = false;

  subscriber.on('message', (name: string, raw: string) => {
    if (name !== channel) return;
    const tags = tagsOf(raw);
    if (tags) onInvalidate(tags);
    else logger.warn({ raw: raw.slice(0, 200) }, 'ignored a malformed invalidation broadcast');
  });
  const lose = () => {
    if (!confirmed) return;
    confirmed = false;
    onLost();
  };
  subscriber.on('close', lose);
  subscriber.on('end', lose);
  // ioredis resubscribes by itself after a reconnect; asking again tells us when Redis confirmed.
  const subscribe = async () => {
    try {
      await subscriber.subscribe(channel);
      if (!closed) confirmed = subscriber.status === 'ready';
    } catch (error) {
      if (!closed) logger.debug({ err: error }, 'cache invalidation broadcast: subscribe failed');
    }
  };
  subscriber.on('ready', () => void subscribe());
  if (subscriber.status === 'ready') void subscribe();

  return {
    async publish(tags) {
      if (tags.length === 0) return true;
      try {
        if (publisher.status !== 'ready') return false;
        await publisher.publish(channel, JSON.stringify(tags));
        return true;
      } catch (error) {
        logger.debug({ err: error }, 'cache invalidation broadcast: publish failed');
        return false;
      }
    },
    listening: () => confirmed && subscriber.status === 'ready',
    close: async () => {
      closed = true;
      lose();
      subscriber.disconnect();
    },
  };
}

function tagsOf(raw: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((tag) => typeof tag === 'string')
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}
