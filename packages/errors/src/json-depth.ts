/**
 * Whether a JSON-like value's objects and arrays nest at most `maxDepth` deep (`{"a":{"b":1}}`
 * is 2, a string 0). Walked with a stack of its own rather than by recursion, so no input can
 * overflow it, and it stops at the first level too deep. For input checks that must run before
 * anything recursive (JSON.stringify overflows the stack at a few thousand levels) sees the value.
 */
export function nestsWithin(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return false;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return true;
}
