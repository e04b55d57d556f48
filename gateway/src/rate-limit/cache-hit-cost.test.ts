import { describe, expect, it } from '@jest/globals';
import { cacheHitCost } from './cache-hit-cost.js';

describe('cache hit cost', () => {
  it('charges the share of the price, rounded up', () => {
    expect(cacheHitCost(214, 0.1)).toBe(22);
    expect(cacheHitCost(349, 0.1)).toBe(35);
    expect(cacheHitCost(300, 1)).toBe(300);
  });

  it('charges at least one token, so no hit is free', () => {
    expect(cacheHitCost(0, 0.1)).toBe(1);
    expect(cacheHitCost(3, 0.1)).toBe(1);
  });
});
