import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { OperationIdentity } from './cache-keys.js';
import { memoryResponseCacheStore, type MemoryResponseCacheStoreOptions } from './memory-store.js';
import { createResponseCacheMetrics } from './metrics.js';
import type { ResponseCacheStore, ResponseToStore } from './store.js';

const operation: OperationIdentity = {
  queryHash: 'h1',
  operationName: null,
  variables: { b: 1, a: [1, { y: 2, x: 1 }] },
};
const other: OperationIdentity = { queryHash: 'h2', operationName: 'Other', variables: {} };

const privateResponse = (
  sequence: number,
  tags: string[],
  overrides: Partial<ResponseToStore> = {},
): ResponseToStore => ({
  operation,
  principalKey: 'user:u1:USER',
  result: { data: { document: { title: 'cached' } } },
  scope: 'PRIVATE',
  maxAge: 60,
  tags,
  sequence,
  ...overrides,
});
const publicResponse = (
  sequence: number,
  tags: string[],
  overrides: Partial<ResponseToStore> = {},
) =>
  privateResponse(sequence, tags, {
    principalKey: undefined,
    scope: 'PUBLIC',
    result: { data: { document: { title: 'public' } } },
    ...overrides,
  });

/** A store on a clock the test moves (`clock.ms`), with its metrics' registry. */
function newStore(options: Partial<MemoryResponseCacheStoreOptions> = {}) {
  const registry = new Registry();
  const clock = { ms: 1_000_000 };
  const store = memoryResponseCacheStore({
    metrics: createResponseCacheMetrics(registry),
    now: () => clock.ms,
    ...options,
  });
  const counted = async (name: string, labels: Record<string, string>) => {
    const { values } = await registry.getSingleMetric(name)!.get();
    return values
      .filter((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
      .reduce((sum, value) => sum + value.value, 0);
  };
  return { store, clock, counted };
}

const sequenceOf = async (store: ResponseCacheStore) =>
  (await store.lookup(operation, 'user:u1:USER'))!.sequence;
const hitOf = async (store: ResponseCacheStore, principalKey: string | undefined, of = operation) =>
  (await store.lookup(of, principalKey))?.hit;

describe('memory response cache store: lookups', () => {
  it('finds a PRIVATE entry only for its principal, whatever the order of the variables', async () => {
    const { store } = newStore();
    expect(await store.store(privateResponse(await sequenceOf(store), ['Document:1']))).toBe(true);

    const reordered = { ...operation, variables: { a: [1, { x: 1, y: 2 }], b: 1 } };
    const hit = await hitOf(store, 'user:u1:USER', reordered);
    expect(hit).toMatchObject({
      result: { data: { document: { title: 'cached' } } },
      resultJson: '{"data":{"document":{"title":"cached"}}}',
      scope: 'PRIVATE',
      age: 0,
      remaining: 60,
      tags: ['Document:1'],
    });
    expect(await hitOf(store, 'user:u2:USER')).toBeUndefined();
    expect(await hitOf(store, undefined)).toBeUndefined();
  });

  it("serves a PUBLIC entry to every caller, before the caller's own PRIVATE one", async () => {
    const { store } = newStore();
    const sequence = await sequenceOf(store);
    await store.store(privateResponse(sequence, []));
    await store.store(publicResponse(sequence, []));
    for (const principalKey of [undefined, 'user:u1:USER', 'user:u2:USER']) {
      const hit = await hitOf(store, principalKey);
      expect([hit?.scope, hit?.result]).toEqual([
        'PUBLIC',
        { data: { document: { title: 'public' } } },
      ]);
    }
    expect(await hitOf(store, undefined, other)).toBeUndefined();
  });

  it('ages an entry in whole seconds and forgets it once its maxAge has passed', async () => {
    const { store, clock } = newStore();
    await store.store(publicResponse(await sequenceOf(store), [], { maxAge: 30 }));
    clock.ms += 12_500;
    expect(await hitOf(store, undefined)).toMatchObject({ age: 12, remaining: 18 });
    clock.ms += 17_000;
    expect(await hitOf(store, undefined)).toMatchObject({ age: 29, remaining: 1 });
    clock.ms += 500;
    expect(await hitOf(store, undefined)).toBeUndefined();
  });

  it('gives every hit its own copy of the result', async () => {
    const { store } = newStore();
    await store.store(publicResponse(await sequenceOf(store), []));
    const first = await hitOf(store, undefined);
    (first!.result.data as { document: { title: string } }).document.title = 'changed';
    expect((await hitOf(store, undefined))?.result).toEqual({
      data: { document: { title: 'public' } },
    });
  });

  it('refuses a PRIVATE entry without a principal key, and one with no maxAge', async () => {
    const { store } = newStore();
    const sequence = await sequenceOf(store);
    expect(await store.store(privateResponse(sequence, [], { principalKey: undefined }))).toBe(
      false,
    );
    expect(await store.store(publicResponse(sequence, [], { maxAge: 0 }))).toBe(false);
    expect(await hitOf(store, undefined)).toBeUndefined();
  });
});

describe('memory response cache store: invalidation', () => {
  it('deletes every entry holding an invalidated tag and keeps the others', async () => {
    const { store } = newStore();
    const sequence = await sequenceOf(store);
    await store.store(privateResponse(sequence, ['Document:1', 'Project:9']));
    await store.store(publicResponse(sequence, ['Project:9'], { operation: other }));
    await store.store(publicResponse(sequence, ['Document:1']));

    expect(await store.invalidate(['Project:9'], 'event')).toBe(true);
    expect(await hitOf(store, undefined, other)).toBeUndefined();
    // The PUBLIC entry of `operation` does not hold Project:9; the PRIVATE one did.
    expect((await hitOf(store, 'user:u1:USER'))?.scope).toBe('PUBLIC');
    await store.invalidate(['Document:1'], 'mutation');
    expect(await hitOf(store, 'user:u1:USER')).toBeUndefined();
  });

  it('refuses to store a response read before one of its tags was invalidated', async () => {
    const { store } = newStore();
    const sequence = await sequenceOf(store);
    // A write lands while the read is at the subgraphs: the read may hold the old value.
    await store.invalidate(['Document:1'], 'mutation');
    expect(await store.store(privateResponse(sequence, ['Document:1', 'Project:9']))).toBe(false);
    expect(await hitOf(store, 'user:u1:USER')).toBeUndefined();
    // A response without that tag is not affected by it.
    expect(await store.store(privateResponse(sequence, ['Project:9']))).toBe(true);

    // A read that starts after the write is stored.
    const later = await sequenceOf(store);
    expect(later).toBeGreaterThan(sequence);
    expect(await store.store(privateResponse(later, ['Document:1']))).toBe(true);
  });
});

describe('memory response cache store: bounds and metrics', () => {
  it('drops the least recently used entry beyond maxEntries', async () => {
    const { store } = newStore({ maxEntries: 2 });
    const third: OperationIdentity = { queryHash: 'h3', operationName: null, variables: {} };
    const sequence = await sequenceOf(store);
    await store.store(publicResponse(sequence, []));
    await store.store(publicResponse(sequence, [], { operation: other }));
    await hitOf(store, undefined); // `operation` is now the most recently used
    await store.store(publicResponse(sequence, [], { operation: third }));
    expect(await hitOf(store, undefined, other)).toBeUndefined();
    expect(await hitOf(store, undefined)).toBeDefined();
    expect(await hitOf(store, undefined, third)).toBeDefined();
  });

  it('refuses every store read before an invalidation it no longer remembers', async () => {
    const { store } = newStore({ maxInvalidatedTags: 1 });
    const sequence = await sequenceOf(store);
    await store.invalidate(['Document:1'], 'event');
    // Remembering Document:2 forgets Document:1.
    await store.invalidate(['Document:2'], 'event');
    expect(await store.store(publicResponse(sequence, ['Document:1']))).toBe(false);
    expect(await store.store(publicResponse(await sequenceOf(store), ['Document:1']))).toBe(true);
  });

  it('counts hits, misses and stores, and invalidated tags by source', async () => {
    const { store, counted } = newStore();
    const outcomes = 'gateway_response_cache_total';
    const sequence = await sequenceOf(store); // miss
    await store.store(publicResponse(sequence, ['Document:1']));
    await hitOf(store, undefined); // hit
    await hitOf(store, 'user:u9:USER'); // hit
    await store.invalidate(['Document:1', 'Document:1', 'Project:2'], 'mutation');
    await store.invalidate([], 'event');
    await store.store(publicResponse(sequence, ['Document:1'])); // refused: not counted
    expect(await counted(outcomes, { outcome: 'miss' })).toBe(1);
    expect(await counted(outcomes, { outcome: 'hit' })).toBe(2);
    expect(await counted(outcomes, { outcome: 'store' })).toBe(1);
    expect(await counted(outcomes, { outcome: 'bypass' })).toBe(0);
    const invalidations = 'gateway_response_cache_invalidations_total';
    expect(await counted(invalidations, { source: 'mutation' })).toBe(2);
    expect(await counted(invalidations, { source: 'event' })).toBe(0);
  });
});
