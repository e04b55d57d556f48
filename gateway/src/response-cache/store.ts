import type { FormattedExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from '@platform/logger';
import { degradingCommands, redisOutage } from '../redis/index.js';
import { cacheKeys, type CacheScope, type OperationIdentity } from './cache-keys.js';
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

export interface CachedResponse {
  result: FormattedExecutionResult;
  scope: CacheScope;
  /** Seconds since it was stored. */
  age: number;
  /** Seconds it stays fresh. */
  remaining: number;
}

export interface Lookup {
  /** The fresh entry: the PUBLIC one, else the caller's PRIVATE one. */
  hit?: CachedResponse;
  /** Pass back to `store`: a tag invalidated after this lookup refuses the store. */
  sequence: number;
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
  ): Promise<Lookup | undefined>;
  /** True when stored; false when refused (a racing invalidation) or bypassed. */
  store(response: ResponseToStore): Promise<boolean>;
  /** Deletes every entry holding any of `tags`; false when bypassed. */
  invalidate(tags: Iterable<string>, source: InvalidationSource): Promise<boolean>;
}

export interface ResponseCacheStoreOptions {
  redis: Redis;
  /** Every key starts with it, e.g. `cache:`. */
  keyPrefix: string;
  logger: Logger;
  metrics: ResponseCacheMetrics;
}

/** An entry as the stores keep it (as JSON), with what its age and freshness are computed from. */
export interface StoredEntry {
  storedAt: number;
  maxAge: number;
  scope: CacheScope;
  result: FormattedExecutionResult;
}

export function responseCacheStore({
  redis,
  keyPrefix,
  logger,
  metrics,
}: ResponseCacheStoreOptions): ResponseCacheStore {
  const keys = cacheKeys(keyPrefix);
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
  const attempt = <T>(step: string, command: () => Promise<T>): Promise<T | undefined> =>
    send(command, {
      fields: { step },
      onFailure: () => metrics.outcomes.inc({ outcome: 'bypass' }),
    });

  const tagKeys = (tags: Iterable<string>) =>
    [...new Set(tags)].flatMap((tag) => [keys.tagSet(tag), keys.tagInvalidatedAt(tag)]);

  return {
    async lookup(operation, principalKey) {
      const lookupKeys = [keys.invalidationSequence, keys.response(operation)];
      if (principalKey) lookupKeys.push(keys.response(operation, principalKey));
      const values = await attempt('lookup', () => redis.mget(...lookupKeys));
      if (!values) return undefined;

      const [sequence, ...entries] = values;
      const now = Date.now();
      for (const raw of entries) {
        const hit = raw ? freshEntry(raw, now) : undefined;
        if (hit) {
          metrics.outcomes.inc({ outcome: 'hit' });
          return { hit, sequence: Number(sequence ?? 0) };
        }
      }
      metrics.outcomes.inc({ outcome: 'miss' });
      return { sequence: Number(sequence ?? 0) };
    },

    async store({ operation, principalKey, result, scope, maxAge, tags, sequence }) {
      if (scope === 'PRIVATE' && !principalKey) return false;
      const entry: StoredEntry = { storedAt: Date.now(), maxAge, scope, result };
      const stored = await attempt('store', () =>
        script(
          STORE_COMMAND,
          [
            keys.response(operation, scope === 'PRIVATE' ? principalKey : undefined),
            ...tagKeys(tags),
          ],
          JSON.stringify(entry),
          maxAge,
          sequence,
        ),
      );
      if (stored !== 1) return false;
      metrics.outcomes.inc({ outcome: 'store' });
      return true;
    },

    async invalidate(tags, source) {
      const keyList = tagKeys(tags);
      if (keyList.length === 0) return true;
      const done = await attempt('invalidate', () =>
        script(INVALIDATE_COMMAND, [keys.invalidationSequence, ...keyList], STAMP_TTL_SECONDS),
      );
      if (done === undefined) return false;
      metrics.invalidations.inc({ source }, keyList.length / 2);
      return true;
    },
  };
}

/** The entry in `raw` with its age, or undefined when it is unreadable or no longer fresh. */
export function freshEntry(raw: string, now: number): CachedResponse | undefined {
  let entry: StoredEntry;
  try {
    entry = JSON.parse(raw) as StoredEntry;
  } catch {
    return undefined;
  }
  const age = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
  const remaining = entry.maxAge - age;
  if (!(remaining > 0)) return undefined;
  return { result: entry.result, scope: entry.scope, age, remaining };
}
