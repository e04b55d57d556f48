import { describe, expect, it } from '@jest/globals';
import { encodeEntry, decodeEntry, type DecodedEntry } from './entry.js';
import { localTier } from './local-tier.js';

const clock = { ms: 1_000_000 };
const now = () => clock.ms;

const entry = (tags: string[], { maxAge = 60, title = 'cached' } = {}): DecodedEntry =>
  decodeEntry(
    encodeEntry(
      { storedAt: clock.ms, maxAge, scope: 'PRIVATE', tags },
      { data: { document: { title } } },
    ),
  )!;

describe('local tier', () => {
  it('keeps an entry read from Redis and drops it with any of its tags', () => {
    const tier = localTier({ maxBytes: 10_000, now });
    expect(tier.fill('k1', entry(['Document:1', 'Project:9']), tier.generation())).toBe(true);
    expect(tier.fill('k2', entry(['Document:2']), tier.generation())).toBe(true);
    expect(tier.get('k1')?.resultJson).toBe('{"data":{"document":{"title":"cached"}}}');

    tier.drop(['Project:9']);
    expect(tier.get('k1')).toBeUndefined();
    expect(tier.get('k2')).toBeDefined();
  });

  it('refuses an entry read from Redis before an invalidation that arrived meanwhile', () => {
    const tier = localTier({ maxBytes: 10_000, now });
    const seen = tier.generation(); // the lookup asks Redis...
    tier.drop(['Document:1']); // ...an invalidation is broadcast before Redis answers...
    expect(tier.fill('k1', entry(['Document:1']), seen)).toBe(false); // ...so the answer is not kept
    expect(tier.get('k1')).toBeUndefined();

    const cleared = tier.generation();
    tier.clear(); // the broadcast was lost
    expect(tier.fill('k1', entry(['Document:1']), cleared)).toBe(false);
    expect(tier.fill('k1', entry(['Document:1']), tier.generation())).toBe(true);
  });

  it('keeps an entry no longer than its remaining max-age', () => {
    const tier = localTier({ maxBytes: 10_000, now });
    const stored = entry(['Document:1'], { maxAge: 30 });
    clock.ms += 20_000;
    expect(tier.fill('k1', stored, tier.generation())).toBe(true);
    clock.ms += 9_000;
    expect(tier.get('k1')).toBeDefined();
    clock.ms += 1_000;
    expect(tier.get('k1')).toBeUndefined();
    expect(tier.fill('k1', stored, tier.generation())).toBe(false);
  });

  it('holds at most maxBytes of entries, dropping the least recently used', () => {
    const one = entry(['Document:1']);
    const tier = localTier({ maxBytes: one.resultJson.length * 2, now });
    tier.fill('k1', one, tier.generation());
    tier.fill('k2', entry(['Document:2']), tier.generation());
    tier.get('k1');
    tier.fill('k3', entry(['Document:3']), tier.generation());
    expect([tier.get('k1'), tier.get('k2'), tier.get('k3')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    // An evicted entry leaves its tags: dropping them later touches nothing else.
    tier.drop(['Document:2']);
    expect(tier.get('k1')).toBeDefined();
  });
});
