import type { GatewayConfig } from '@apollo/gateway';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * An in-memory LRU bounded by approximate size (the JSON length of each value), with the
 * key-value interface Apollo Server's `documentStore` and the gateway's query plan cache expect.
 * Apollo's own InMemoryLRUCache, built on the gateway's own lru-cache dependency.
 */
export class BoundedLruCache<Value extends object> {
  private readonly entries: LRUCache<string, Value>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, Value>({
      maxSize: maxBytes,
      // A value larger than the whole cache is not kept rather than emptying the cache.
      maxEntrySize: maxBytes,
      sizeCalculation: (value) => Math.max(1, Buffer.byteLength(JSON.stringify(value), 'utf8')),
    });
  }

  async get(key: string): Promise<Value | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: Value, options?: { ttl?: number | null }): Promise<void> {
    this.entries.set(key, value, options?.ttl ? { ttl: options.ttl * 1000 } : undefined);
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  /** The gateway empties its query plans whenever the supergraph changes. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }
}

/** Apollo Server's `documentStore`: parsed and validated operations, DOCUMENT_CACHE_BYTES. */
export const documentCache = (maxBytes: number) => new BoundedLruCache<DocumentNode>(maxBytes);

/** What ApolloGateway's `queryPlannerConfig.cache` takes. */
type QueryPlanCache = NonNullable<NonNullable<GatewayConfig['queryPlannerConfig']>['cache']>;
type QueryPlan = NonNullable<Awaited<ReturnType<QueryPlanCache['get']>>>;

/** The gateway's query plans (`queryPlannerConfig.cache`), QUERY_PLAN_CACHE_BYTES. */
export const queryPlanCache = (maxBytes: number): QueryPlanCache & BoundedLruCache<QueryPlan> =>
  new BoundedLruCache<QueryPlan>(maxBytes);
