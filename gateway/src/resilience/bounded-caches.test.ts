import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { BoundedLruCache, documentCache, queryPlanCache } from './bounded-caches.js';

const value = (bytes: number) => ({ text: 'x'.repeat(bytes - '{"text":""}'.length) });

describe('BoundedLruCache', () => {
  it('keeps values within its byte budget, dropping the least recently used first', async () => {
    const cache = new BoundedLruCache<object>(300);
    await cache.set('a', value(100));
    await cache.set('b', value(100));
    await cache.set('c', value(100));
    expect(await cache.get('a')).toBeDefined(); // now b is the least recently used
    await cache.set('d', value(100));

    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('d')).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(300);
  });

  it('does not keep a value larger than the whole budget', async () => {
    const cache = new BoundedLruCache<object>(300);
    await cache.set('small', value(100));
    await cache.set('huge', value(1000));
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('small')).toBeDefined();
  });

  it('deletes and clears', async () => {
    const cache = new BoundedLruCache<object>(300);
    await cache.set('a', value(20));
    await cache.set('b', value(20));
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('the gateway caches', () => {
  it('are sized by DOCUMENT_CACHE_BYTES and QUERY_PLAN_CACHE_BYTES', async () => {
    const documents = documentCache(1024 * 1024);
    await documents.set('q', parse('{ me { id } }'));
    expect(await documents.get('q')).toMatchObject({ kind: 'Document' });

    const plans = queryPlanCache(10);
    expect(plans.size).toBe(0);
    plans.clear();
  });
});
