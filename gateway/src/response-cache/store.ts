import type { FormattedExecutionResult } from 'graphql';
import { hashTagged, type RedisConnection } from '@platform/redis';
import type { Logger } from '@platform/logger';
import { degradingCommands, redisOutage } from '../redis/index.js';
import { cacheKeys, type CacheScope, type OperationIdentity } from './cache-keys.js';
import {
  decodeEntry,
  encodeEntry,
  freshEntry,
  type CachedResponse,
  type EntryAdmission,
} from './entry.js';
import type { InvalidationBroadcast } from './invalidation-broadcast.js';
import type { LocalTier } from './local-tier.js';
import type { InvalidationSource, ResponseCacheMetrics } from './metrics.js';
import { INVALIDATE_TAGS_LUA, STORE_RESPONSE_LUA } from './scripts.js';

/** How long an invalidation stamp outlives the invalidation: longer than any request runs. */
const STAMP_TTL_SECONDS = 300;

const STORE_COMMAND = 'platformResponseCacheStore';
const INVALIDATE_COMMAND = 'platformResponseCacheInvalidate';
type ScriptCommand = (
  numberOfKeys: number,
  ...keysAndArgs: (string | number)[]
) => Promise<unknown>;

export type { CachedResponse } from './entry.js';

export interface Lookup {
  /** The fresh entry: the PUBLIC one, else the caller's PRIVATE one. */
  hit?: CachedResponse;
  /** Pass back to `store`: a tag invalidated after this lookup refuses the store. */
  sequence: number;
}

export interface LookupOptions {
  /**
   * False: the hit or miss is not counted (the fast path counts the hits it serves; what it
   * passes on is looked up and counted again by the normal path).
   * @default true
   */
  countOutcome?: boolean;
}

export interface ResponseToStore {
  operation: OperationIdentity;
  /** Required for a PRIVATE entry. */
  principalKey?: string;
  result: FormattedExecutionResult;
  scope: CacheScope;
  maxAge: number;
  tags: Iterable<string>;
  sequence: number;
  /** What the fast path needs to serve it (absent: only the normal path does). */
  admission?: EntryAdmission;
}

/**
 * The response cache in Redis: entries under a key per operation (and principal, for PRIVATE
 * ones) with their TTL, and per entity tag the set of keys holding it. Every call degrades to a
 * bypass when Redis fails or is not connected: the request goes on without the cache, the bypass is
 * counted, and the outage is logged once (and its end once).
 */
export interface ResponseCacheStore {
  /** Undefined when bypassed (the caller must then not store). */
  lookup(
    operation: OperationIdentity,
    principalKey: string | undefined,
    options?: LookupOptions,
  ): Promise<Lookup | undefined>;
  /** True when stored; false when refused (a racing invalidation) or bypassed. */
  store(response: ResponseToStore): Promise<boolean>;
  /** Deletes every entry holding any of `tags`; false when bypassed. */
  invalidate(tags: Iterable<string>, source: InvalidationSource): Promise<boolean>;
}

export interface ResponseCacheStoreOptions {
  redis: RedisConnection;
  /** Every key starts with it, e.g. `gateway:cache:` (in braces on a cluster). */
  keyPrefix: string;
  logger: Logger;
  metrics: ResponseCacheMetrics;
  /**
   * The in-process tier in front of Redis and the broadcast that keeps it correct; without them
   * every lookup reads Redis. The local tier is read only while the broadcast's subscription is
   * confirmed and the Redis connection is ready, so an outage bypasses both tiers as before.
   */
  local?: { tier: LocalTier; broadcast: InvalidationBroadcast };
}

export function responseCacheStore({
  redis,
  keyPrefix,
  logger,
  metrics,
  local,
}: ResponseCacheStoreOptions): ResponseCacheStore {
  // Both scripts touch an entry, its tags' sets and stamps and the global sequence at once: on a
  // cluster they must share one slot, so the whole prefix is the hash tag
  // (`{gateway:cache:}response:...`) and the cache lives on one primary. A standalone server keeps
  // the untagged names.
  const keys = cacheKeys(hashTagged(redis, keyPrefix));
  redis.defineCommand(STORE_COMMAND, { lua: STORE_RESPONSE_LUA });
  redis.defineCommand(INVALIDATE_COMMAND, { lua: INVALIDATE_TAGS_LUA });
  const commands = redis as unknown as Record<string, ScriptCommand>;
  const script = (name: string, keyList: string[], ...args: (string | number)[]) =>
    commands[name]!.call(redis, keyList.length, ...keyList, ...args);

  const outage = redisOutage(logger, {
    down: 'response cache: Redis is unreachable, serving without the cache until it answers',
    up: 'response cache: Redis answers again, caching resumes',
  });
  const send = degradingCommands(redis, outage);
  /** Runs `command` against Redis, or returns undefined (a bypass) when Redis fails. */
  const attempt = <T>(
    step: string,
    command: () => Promise<T>,
    countBypass = true,
  ): Promise<T | undefined> =>
    send(command, {
      fields: { step },
      onFailure: () => {
        if (countBypass) metrics.outcomes.inc({ outcome: 'bypass' });
      },
    });

  const tagKeys = (tags: Iterable<string>) =>
    [...new Set(tags)].flatMap((tag) => [keys.tagSet(tag), keys.tagInvalidatedAt(tag)]);

  return {
    async lookup(operation, principalKey, { countOutcome = true } = {}) {
      const count = (outcome: 'hit' | 'miss') => {
        if (countOutcome) metrics.outcomes.inc({ outcome });
      };
      const responseKeys = [keys.response(operation)];
      if (principalKey) responseKeys.push(keys.response(operation, principalKey));
      const useLocal = local && redis.status === 'ready' && local.broadcast.listening();
      if (useLocal) {
        const now = Date.now();
        for (const key of responseKeys) {
          const entry = local.tier.get(key);
          const hit = entry && freshEntry(entry, now);
          if (hit) {
            count('hit');
            metrics.local.inc({ outcome: 'hit' });
            // No store follows a hit, so the sequence is never used.
            return { hit, sequence: 0 };
          }
        }
      }

      const generation = local?.tier.generation() ?? 0;
      const values = await attempt(
        'lookup',
        () => redis.mget(keys.invalidationSequence, ...responseKeys),
        countOutcome,
      );
      if (!values) return undefined;

      const [sequence, ...entries] = values;
      const now = Date.now();
      for (const [index, raw] of entries.entries()) {
        const entry = raw ? decodeEntry(raw) : undefined;
        const hit = entry && freshEntry(entry, now);
        if (hit) {
          count('hit');
          if (useLocal) {
            const kept = local.tier.fill(responseKeys[index]!, entry, generation);
            metrics.local.inc({ outcome: kept ? 'fill' : 'fill_refused' });
          }
          return { hit, sequence: Number(sequence ?? 0) };
        }
      }
      count('miss');
      return { sequence: Number(sequence ?? 0) };
    },

    async store({ operation, principalKey, result, scope, maxAge, tags, sequence, admission }) {
      if (scope === 'PRIVATE' && !principalKey) return false;
      const tagList = [...new Set(tags)];
      const entry = encodeEntry(
        { storedAt: Date.now(), maxAge, scope, tags: tagList, admission },
        result,
      );
      const stored = await attempt('store', () =>
        script(
          STORE_COMMAND,
          [
            keys.response(operation, scope === 'PRIVATE' ? principalKey : undefined),
            ...tagKeys(tagList),
          ],
          entry,
          maxAge,
          sequence,
        ),
      );
      if (stored !== 1) return false;
      metrics.outcomes.inc({ outcome: 'store' });
      return true;
    },

    async invalidate(tags, source) {
      const tagList = [...new Set(tags)];
      if (tagList.length === 0) return true;
      local?.tier.drop(tagList);
      const done = await attempt('invalidate', () =>
        script(
          INVALIDATE_COMMAND,
          [keys.invalidationSequence, ...tagKeys(tagList)],
          STAMP_TTL_SECONDS,
        ),
      );
      // Again once Redis has deleted them: a local copy read from Redis between the two drops
      // may be stale, and fills that started before this one are refused (the generation).
      local?.tier.drop(tagList);
      if (done === undefined) return false;
      metrics.invalidations.inc({ source }, tagList.length);
      // Awaited, so the other processes have the message before the mutation is answered.
      await local?.broadcast.publish(tagList);
      return true;
    },
  };
}
