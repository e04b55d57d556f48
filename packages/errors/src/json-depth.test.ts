import { describe, expect, it } from '@jest/globals';
import { nestsWithin } from './index.js';

const objects = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = { child: value };
  return value;
};

describe('nestsWithin', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(nestsWithin('text', 0)).toBe(true);
    expect(nestsWithin(null, 0)).toBe(true);
    expect(nestsWithin({ a: { b: 1 } }, 2)).toBe(true);
    expect(nestsWithin({ a: { b: 1 } }, 1)).toBe(false);
    expect(nestsWithin([[[]]], 3)).toBe(true);
    expect(nestsWithin([1, [2, [3]]], 2)).toBe(false);
  });

  it('finds the one deep branch among shallow ones', () => {
    expect(nestsWithin({ wide: [1, 2, 3], deep: objects(10) }, 10)).toBe(false);
    expect(nestsWithin({ wide: [1, 2, 3], deep: objects(9) }, 10)).toBe(true);
  });

  it('answers for a value far deeper than any stack, without overflowing', () => {
    expect(nestsWithin(objects(200_000), 64)).toBe(false);
  });
});
