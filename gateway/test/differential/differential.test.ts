/**
 * This gateway, with every policy on (authentication, cost, rate limit, response cache cold and
 * then warm), answers each query of the corpus exactly as stock `@apollo/gateway` does on the same
 * subgraphs: the same `data`, errors at the same paths with the same codes (an error this gateway
 * masks as INTERNAL_SERVER_ERROR compares by path), never a 5xx, and nothing of its own
 * (`__cache*` fields, entity-tag extensions) in what the client gets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { booksAndAuthors, failures, shop } from './corpus-entities.js';
import {
  compositeKeys,
  emptyInterfaceObject,
  interfaceObjects,
  mutations,
  nodes,
  nullableIds,
  overrides,
  unions,
} from './corpus-types.js';
import { startSupergraph, type Answer, type RunningSupergraph } from './harness.js';

const corpus = [
  booksAndAuthors,
  shop,
  failures,
  interfaceObjects,
  emptyInterfaceObject,
  nodes,
  unions,
  overrides,
  compositeKeys,
  nullableIds,
  mutations,
];

const errorPaths = (answer: Answer) =>
  answer.errors.map((error) => JSON.stringify(error.path ?? null)).sort();

function expectSameAnswer(ours: Answer, stock: Answer) {
  expect(ours.status).toBeLessThan(500);
  expect(ours.data).toEqual(stock.data);
  expect(errorPaths(ours)).toEqual(errorPaths(stock));
  for (const error of ours.errors) {
    const code = error.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') continue;
    const twin = stock.errors.find(
      (candidate) => JSON.stringify(candidate.path ?? null) === JSON.stringify(error.path ?? null),
    );
    expect(code).toBe(twin?.extensions?.code);
  }
  expect(ours.raw).not.toContain('__cache');
  expect(ours.raw).not.toContain('entityTags');
}

describe.each(corpus)('the $name supergraph', (supergraph) => {
  let running: RunningSupergraph;
  const warmHits: string[] = [];

  beforeAll(async () => {
    running = await startSupergraph(supergraph);
  });

  afterAll(async () => {
    await running?.stop();
  });

  it.each(supergraph.queries)('$name', async (query) => {
    const stock = await running.stock(query);
    const cold = await running.ours(query);
    expectSameAnswer(cold, stock);
    const warm = await running.ours(query);
    expectSameAnswer(warm, stock);
    if (warm.age !== null) warmHits.push(query.name);
  });

  if (supergraph !== mutations && supergraph !== failures) {
    it('serves the warm run from the cache', () => {
      expect(warmHits.length).toBeGreaterThan(0);
    });
  }
});
