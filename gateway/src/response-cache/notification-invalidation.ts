import type { Logger } from '@platform/logger';
import { notificationRecipient } from '@platform/realtime';
import type { ResponseCacheStore } from './store.js';

/**
 * A new notification changes its recipient's cached `notifications` and `unreadCount`: this makes
 * them stale as its message reaches the gateway (liveChannels' `onMessage`), so a client that
 * reads its count on seeing the notification sees it counted (the event's own invalidation, by
 * another Kafka consumer, may come seconds later). Called once per message and process, however
 * many sockets get it.
 *
 * The recipients of the messages that arrive together (one read of the subscriber socket) are
 * invalidated in one call: one script and one broadcast instead of one per notification (at 2,000
 * a second, gateway CPU per delivery went 0.081 -> 0.112 ms with one call each, 0.102 ms batched;
 * BENCHMARKS.md, live delivery). Hand-written
 * rather than DataLoader: nothing waits for a per-recipient answer. The batch is flushed before
 * the event loop polls again, so it reaches Redis (and the local tier) before any request that
 * arrives after the frame: those queue behind it on the cache's connection.
 */
export function notificationInvalidation(
  store: ResponseCacheStore,
  logger: Logger,
): (channel: string) => void {
  let pending: Set<string> | undefined;
  const flush = () => {
    const tags = pending!;
    pending = undefined;
    store
      .invalidate(tags, 'notification')
      .catch((error: unknown) => logger.warn({ err: error }, 'notification invalidation failed'));
  };
  return (channel) => {
    const recipient = notificationRecipient(channel);
    if (recipient === undefined) return;
    if (!pending) {
      pending = new Set();
      setImmediate(flush);
    }
    pending.add(`User:${recipient}`);
  };
}
