import { describe, expect, it } from '@jest/globals';
import { takeFromAll, takeTokens, type BucketState } from './token-bucket.js';

const limits = { capacity: 10, refillPerSecond: 2 };

describe('token bucket arithmetic', () => {
  it('starts full, charges the cost and reports the whole tokens left', () => {
    const { state, outcome } = takeTokens(undefined, 1000, limits, 3);
    expect(state).toEqual({ tokens: 7, updatedAtMs: 1000 });
    expect(outcome).toEqual({ allowed: true, remaining: 7, resetSeconds: 2, retryAfterSeconds: 0 });
  });

  it('refuses a cost above the tokens left, charging nothing, with the wait for that cost', () => {
    const state: BucketState = { tokens: 1, updatedAtMs: 0 };
    const { state: after, outcome } = takeTokens(state, 0, limits, 4);
    expect(after.tokens).toBe(1);
    // 3 tokens missing at 2 per second: 1.5 s, so 2 whole seconds.
    expect(outcome).toEqual({
      allowed: false,
      remaining: 1,
      resetSeconds: 5,
      retryAfterSeconds: 2,
    });
  });

  it('refills by elapsed time, never above capacity', () => {
    const drained: BucketState = { tokens: 0, updatedAtMs: 0 };
    expect(takeTokens(drained, 1500, limits, 0).state.tokens).toBe(3);
    expect(takeTokens(drained, 60_000, limits, 0).state.tokens).toBe(10);
  });

  it('does not refill while the clock is behind the last update, and keeps the later time', () => {
    const { state } = takeTokens({ tokens: 2, updatedAtMs: 5000 }, 4000, limits, 1);
    expect(state).toEqual({ tokens: 1, updatedAtMs: 5000 });
  });

  it('refuses a cost above the capacity as never passable, without charging', () => {
    const { state, outcome } = takeTokens(undefined, 0, limits, 11);
    expect(state.tokens).toBe(10);
    expect(outcome).toEqual({
      allowed: false,
      remaining: 10,
      resetSeconds: 0,
      retryAfterSeconds: null,
    });
  });

  it('treats floating-point noise as the whole number it stands for', () => {
    // 0.1 + 0.2 tokens per second for 10 s is 3.0000000000000004 tokens, not more than 3.
    const { outcome } = takeTokens(
      { tokens: 0, updatedAtMs: 0 },
      10_000,
      { capacity: 10, refillPerSecond: 0.1 + 0.2 },
      3,
    );
    expect(outcome).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe('several buckets charged as one', () => {
  const owner = { capacity: 10, refillPerSecond: 2 };
  const cap = { capacity: 4, refillPerSecond: 1 };

  it('charges every bucket when each holds the cost, reporting the tightest', () => {
    const { states, outcome, binding } = takeFromAll([undefined, undefined], 0, [owner, cap], 3);
    expect(states.map((state) => state.tokens)).toEqual([7, 1]);
    expect(binding).toBe(1);
    // The cap is full again in 3 s, the owner's bucket in 1.5 s: the longer is reported.
    expect(outcome).toEqual({ allowed: true, remaining: 1, resetSeconds: 3, retryAfterSeconds: 0 });
  });

  it('charges none when one cannot pay, with the longest wait', () => {
    const states: BucketState[] = [
      { tokens: 2, updatedAtMs: 0 },
      { tokens: 1, updatedAtMs: 0 },
    ];
    const { states: after, outcome } = takeFromAll(states, 0, [owner, cap], 3);
    expect(after.map((state) => state.tokens)).toEqual([2, 1]);
    // The owner misses 1 token at 2/s (1 s), the cap 2 at 1/s (2 s).
    expect(outcome).toMatchObject({ allowed: false, remaining: 1, retryAfterSeconds: 2 });
  });

  it('refuses a cost above any capacity as never passable', () => {
    const { outcome } = takeFromAll([undefined, undefined], 0, [owner, cap], 5);
    expect(outcome).toMatchObject({ allowed: false, retryAfterSeconds: null });
  });
});
