import { LRUCache } from 'lru-cache';
import { cacheKeys } from './cache-keys.js';
import type { ResponseCacheMetrics } from './metrics.js';
import { decodeEntry, encodeEntry, freshEntry } from './entry.js';
import type { ResponseCacheStore } from './store.js';

export interface MemoryResponseCacheStoreOptions {
  metrics: ResponseCacheMetrics;
  /** Entries kept; past it the least recently used one is dropped. */
  maxEntries?: number;
  /** Invalidated tags whose invalidation is remembered (to refuse stores that raced it). */
  maxInvalidatedTags?: number;
  /** The clock entries age by, in milliseconds. */
  now?: () => number;
}

interface MemoryEntry {
  /** The entry encoded as in Redis (entry.ts): every hit gets its own copy of the result. */
  encoded: string;
  tags: readonly string[];
}

/**
 * The response cache in this process's memory, with the Redis store's semantics: the PUBLIC entry
 * is looked up before the caller's PRIVATE one, entries age and expire by their maxAge, an
 * invalidation deletes every entry holding one of its tags and refuses the stores of responses
 * read before it (the sequence), and the same metrics are counted (it is never bypassed).
 *
 * It is for unit tests of the cache step without Redis, and could serve a single gateway process
 * without Redis (it is not shared, so it must not be used by several). Bounded: at most
 * `maxEntries` entries, and `maxInvalidatedTags` remembered invalidations; once one of those is
 * forgotten, a store that looked up before it is refused, whatever its tags.
 */
export function memoryResponseCacheStore({
  metrics,
  maxEntries = 10_000,
  maxInvalidatedTags = 100_000,
  now = Date.now,
}: MemoryResponseCacheStoreOptions): ResponseCacheStore {
  const keys = cacheKeys('');
  /** The keys of the entries holding each tag. */
  const holding = new Map<string, Set<string>>();
  const entries = new LRUCache<string, MemoryEntry>({
    max: maxEntries,
    // Evicted, invalidated or replaced: the entry leaves its tags' sets.
    dispose: (entry, key) => {
      for (const tag of entry.tags) {
        const set = holding.get(tag);
        set?.delete(key);
        if (set?.size === 0) holding.delete(tag);
      }
    },
  });
  let sequence = 0;
  /** The latest invalidation sequence no longer remembered by tag. */
  let forgottenThrough = 0;
  /** The sequence at which each tag was last invalidated. */
  const invalidatedAt = new LRUCache<string, number>({
    max: maxInvalidatedTags,
    dispose: (at, _tag, reason) => {
      if (reason === 'evict') forgottenThrough = Math.max(forgottenThrough, at);
    },
  });

  const invalidatedSince = (seen: number, tags: readonly string[]) =>
    seen < forgottenThrough || tags.some((tag) => (invalidatedAt.get(tag) ?? 0) > seen);

  return {
    async lookup(operation, principalKey, { countOutcome = true } = {}) {
      const candidates = [keys.response(operation)];
      if (principalKey) candidates.push(keys.response(operation, principalKey));
      const at = now();
      for (const key of candidates) {
        const entry = entries.get(key);
        if (!entry) continue;
        const decoded = decodeEntry(entry.encoded);
        const hit = decoded && freshEntry(decoded, at);
        if (hit) {
          if (countOutcome) metrics.outcomes.inc({ outcome: 'hit' });
          return { hit, sequence };
        }
        entries.delete(key);
      }
      if (countOutcome) metrics.outcomes.inc({ outcome: 'miss' });
      return { sequence };
    },

    async store({
      operation,
      principalKey,
      result,
      scope,
      maxAge,
      tags,
      sequence: seen,
      admission,
    }) {
      if (scope === 'PRIVATE' && !principalKey) return false;
      if (!(maxAge > 0)) return false;
      const tagList = [...new Set(tags)];
      if (invalidatedSince(seen, tagList)) return false;
      const encoded = encodeEntry(
        { storedAt: now(), maxAge, scope, tags: tagList, admission },
        result,
      );
      const key = keys.response(operation, scope === 'PRIVATE' ? principalKey : undefined);
      entries.set(key, { encoded, tags: tagList });
      for (const tag of tagList) {
        let set = holding.get(tag);
        if (!set) holding.set(tag, (set = new Set()));
        set.add(key);
      }
      metrics.outcomes.inc({ outcome: 'store' });
      return true;
    },

    async invalidate(tags, source) {
      const tagList = [...new Set(tags)];
      if (tagList.length === 0) return true;
      sequence += 1;
      for (const tag of tagList) {
        invalidatedAt.set(tag, sequence);
        for (const key of [...(holding.get(tag) ?? [])]) entries.delete(key);
        holding.delete(tag);
      }
      metrics.invalidations.inc({ source }, tagList.length);
      return true;
    },
  };
}
