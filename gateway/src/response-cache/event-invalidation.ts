import {
  ensureEventTopics,
  startEventConsumer,
  type AnyEventEnvelope,
  type EventConsumer,
  type ConsumerTiming,
  type EventConsumerOptions,
} from '@platform/events';
import type { Logger } from '@platform/logger';
import { userTag } from './cache-keys.js';
import type { ResponseCacheStore } from './store.js';

/**
 * The gateway processes share one cache, so they share one consumer group: each event is applied
 * once, by whichever process holds its partition.
 */
export const CACHE_INVALIDATION_GROUP = 'gateway-cache-invalidation';

/**
 * What an event makes stale: its subject (`Document:42`), and what lists or visibility it changes:
 * - document.*: the project (its document lists and counts) and each member's user (the
 *   notification the event gives them shows in their cached `notifications` and `unreadCount`);
 * - project.created / project.member_added: each member's user (their project lists) and every
 *   PRIVATE entry of each member, since what they may see changed (a cached `null` for a project
 *   they could not see before, a `projects` list without it);
 * - project.updated: each member's user (their project lists show the name);
 * - project.member_removed / project.deleted: likewise for whoever lost access (the removed
 *   member; every member of a deleted project), whose cached answers may still show it;
 * - organization.created / organization.member_added: likewise for the owner or new member;
 * - user.role_changed: every PRIVATE entry of the user (an ADMIN sees more than a USER).
 */
export function tagsOfEvent(event: AnyEventEnvelope): string[] {
  const tags = [`${event.subject.type}:${event.subject.id}`];
  /** Users whose visibility changed (gained or lost access). */
  const gainedAccess = (userIds: readonly string[]) =>
    userIds.flatMap((userId) => [`User:${userId}`, userTag(userId)]);
  switch (event.type) {
    case 'document.created':
    case 'document.updated':
    case 'document.deleted':
      tags.push(
        `Project:${event.data.projectId}`,
        ...event.data.memberIds.map((userId) => `User:${userId}`),
      );
      break;
    case 'project.created':
      tags.push(...gainedAccess([event.data.ownerId, ...event.data.memberIds]));
      break;
    case 'project.member_added':
      tags.push(...gainedAccess([event.data.userId]));
      break;
    case 'project.updated':
      tags.push(...event.data.memberIds.map((userId) => `User:${userId}`));
      break;
    case 'project.member_removed':
      tags.push(...gainedAccess([event.data.userId]));
      break;
    case 'project.deleted':
      tags.push(...gainedAccess([event.data.ownerId, ...event.data.memberIds]));
      break;
    case 'organization.created':
      tags.push(...gainedAccess([event.data.ownerId]));
      break;
    case 'user.role_changed':
      tags.push(userTag(event.subject.id));
      break;
    case 'organization.member_added':
      tags.push(...gainedAccess([event.data.userId]));
      break;
    default:
      break;
  }
  return [...new Set(tags)];
}

/** How long after an event its tags are invalidated a second time (see cacheInvalidationHandler). */
export const DEFAULT_REPEAT_AFTER_MS = 5000;

export interface CacheInvalidationHandler {
  /**
   * Applies one event to the cache. Rejects when Redis did not take the invalidation, so the
   * consumer retries the event instead of committing past it.
   */
  handle: (event: AnyEventEnvelope) => Promise<void>;
  /** Cancels the repeated invalidations still waiting. */
  stop: () => void;
}

/**
 * Invalidates the tags of each event at once, and again `repeatAfterMs` later (0: never): other
 * consumers of the same event derive data from it (analytics rollups) and may apply it after the
 * gateway did, so a read between the two would cache the old figures for their whole maxAge.
 */
export function cacheInvalidationHandler(
  store: ResponseCacheStore,
  { repeatAfterMs = DEFAULT_REPEAT_AFTER_MS }: { repeatAfterMs?: number } = {},
): CacheInvalidationHandler {
  const waiting = new Set<NodeJS.Timeout>();
  return {
    handle: async (event) => {
      const tags = tagsOfEvent(event);
      if (!(await store.invalidate(tags, 'event'))) {
        throw new Error(`response cache: could not invalidate for event ${event.id}`);
      }
      if (repeatAfterMs <= 0) return;
      const timer = setTimeout(() => {
        waiting.delete(timer);
        void store.invalidate(tags, 'event');
      }, repeatAfterMs);
      timer.unref();
      waiting.add(timer);
    },
    stop: () => {
      for (const timer of waiting) clearTimeout(timer);
      waiting.clear();
    },
  };
}

export interface CacheInvalidationConsumerOptions {
  kafka: EventConsumerOptions['kafka'];
  store: ResponseCacheStore;
  logger: Logger;
  /** Defaults to CACHE_INVALIDATION_GROUP; tests use a unique one. */
  groupId?: string;
  /** First wait before retrying a failed start; doubles up to 30 s. */
  retryDelayMs?: number;
  /** See cacheInvalidationHandler. */
  repeatAfterMs?: number;
  timing?: ConsumerTiming;
  /** The gateway's registry: the group's lag and dead letters. */
  metrics?: EventConsumerOptions['metrics'];
}

export interface CacheInvalidationConsumer {
  /**
   * Resolves once the group is joined and its partitions' offsets are pinned: an event produced
   * after it is consumed (the group starts from the latest offset, so an event produced before
   * the assignment would be skipped).
   */
  ready: Promise<void>;
  stop: () => Promise<void>;
}

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Consumes every event topic and invalidates the cached responses each event makes stale. It
 * starts in the background, so the gateway serves while Kafka is unreachable (entries then live
 * out their maxAge); failed starts are logged and retried with backoff until `stop`.
 */
export function startCacheInvalidationConsumer({
  kafka,
  store,
  logger,
  groupId = CACHE_INVALIDATION_GROUP,
  retryDelayMs = 1000,
  repeatAfterMs,
  timing,
  metrics,
}: CacheInvalidationConsumerOptions): CacheInvalidationConsumer {
  const log = logger.child({ component: 'response-cache-invalidation' });
  const handler = cacheInvalidationHandler(store, { repeatAfterMs });
  let stopped = false;
  let consumer: EventConsumer | undefined;
  let wake: (() => void) | undefined;
  let markReady: () => void = () => undefined;
  let markStopping: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (markStopping = resolve));
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const running = (async () => {
    for (let delay = retryDelayMs; !stopped; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      try {
        await ensureEventTopics(kafka);
        consumer = await startEventConsumer({
          kafka,
          groupId,
          logger: log,
          handle: handler.handle,
          // A new group has nothing cached from before it existed: history is not worth replaying.
          fromBeginning: false,
          timing,
          metrics,
        });
        await Promise.race([consumer.consuming, stopping]);
        markReady();
        return;
      } catch (error) {
        log.warn(
          { err: error, retryInMs: delay },
          'response cache: cannot consume events; cached entries expire by maxAge meanwhile',
        );
        await pause(delay);
      }
    }
  })();

  return {
    ready,
    stop: async () => {
      stopped = true;
      markStopping();
      wake?.();
      await running;
      await consumer?.stop();
      handler.stop();
    },
  };
}
