/**
 * What a response served from the cache is charged: `share` of its price, rounded up, and at
 * least one token, so a hit is cheaper than the subgraph work it spares but never free.
 */
export function cacheHitCost(price: number, share: number): number {
  return Math.max(1, Math.ceil(price * share));
}
