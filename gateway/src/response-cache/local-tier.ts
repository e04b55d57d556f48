import { LRUCache } from 'lru-cache';
import { remainingMs, type DecodedEntry } from './entry.js';

export interface LocalTierOptions {
  /** The most bytes of entries it holds (their JSON length); the least recently used go first. */
  maxBytes: number;
  /** The clock entries age by, in milliseconds. */
  now?: () => number;
}

/**
 * This process's copy of recently read Redis entries (RESPONSE_CACHE_LOCAL_*), so a hit costs no
 * Redis round trip and no transfer of the entry. It is kept correct by the invalidations every
 * gateway process broadcasts (invalidation-broadcast.ts): `drop` removes every entry holding a
 * tag. A read from Redis that raced an invalidation must not be kept: `generation` is read before
 * asking Redis and `fill` refuses the entry when any drop (or `clear`) happened since.
 *
 * Bounded by bytes (lru-cache's `maxSize`), each entry kept no longer than its remaining max-age.
 */
export interface LocalTier {
  /** The entry under `key` if it is still fresh. */
  get(key: string): DecodedEntry | undefined;
  /** Counts drops and clears; pass what it was before the Redis read to `fill`. */
  generation(): number;
  /** Keeps `entry` unless something was dropped since `seenGeneration`; true when kept. */
  fill(key: string, entry: DecodedEntry, seenGeneration: number): boolean;
  /** Removes every entry holding any of `tags`. */
  drop(tags: Iterable<string>): void;
  /** Removes everything (the broadcast was lost: invalidations may have been missed). */
  clear(): void;
}

export function localTier({ maxBytes, now = Date.now }: LocalTierOptions): LocalTier {
  /** The keys of the entries holding each tag. */
  const holding = new Map<string, Set<string>>();
  const entries = new LRUCache<string, DecodedEntry>({
    maxSize: maxBytes,
    sizeCalculation: (entry) => Math.max(1, entry.resultJson.length),
    // lru-cache's clock is performance.now(); entries carry their own deadline, checked in get.
    ttlAutopurge: false,
    dispose: (entry, key) => {
      for (const tag of entry.header.tags) {
        const set = holding.get(tag);
        set?.delete(key);
        if (set?.size === 0) holding.delete(tag);
      }
    },
  });
  let generation = 0;

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (remainingMs(entry, now()) > 0) return entry;
      entries.delete(key);
      return undefined;
    },
    generation: () => generation,
    fill(key, entry, seenGeneration) {
      if (seenGeneration !== generation) return false;
      const ttl = remainingMs(entry, now());
      if (!(ttl > 0) || entry.resultJson.length > maxBytes) return false;
      entries.set(key, entry, { ttl });
      for (const tag of entry.header.tags) {
        let set = holding.get(tag);
        if (!set) holding.set(tag, (set = new Set()));
        set.add(key);
      }
      return true;
    },
    drop(tags) {
      generation += 1;
      for (const tag of tags) {
        for (const key of [...(holding.get(tag) ?? [])]) entries.delete(key);
      }
    },
    clear() {
      generation += 1;
      entries.clear();
    },
  };
}
