import { afterEach, describe, expect, it } from '@jest/globals';
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { Registry } from 'prom-client';
import type { Principal } from '@platform/identity';
import { anonymous, userPrincipal } from '@platform/testing';
import { memoryResponseCacheStore } from './memory-store.js';
import { createResponseCacheMetrics } from './metrics.js';
import { responseCachePlugin } from './plugin.js';

interface TestContext {
  principal: Principal;
  internal?: boolean;
}

const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(
    maxAge: Int
    scope: CacheControlScope
    inheritMaxAge: Boolean
  ) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Document { id: ID!, title: String! }
  type Query {
    document(id: ID!): Document @cacheControl(maxAge: 60)
    myNotes: [String!]! @cacheControl(maxAge: 60, scope: PRIVATE)
  }
  type Mutation { renameDocument(id: ID!, title: String!): Document }
`;

let apollo: ApolloServer<TestContext> | undefined;

afterEach(async () => {
  await apollo?.stop();
  apollo = undefined;
});

/** A server with the cache step over a memory store on a clock the test moves (`clock.ms`). */
async function cachingServer({ enabled = true } = {}) {
  const titles = new Map([['1', 'First title']]);
  const calls = { document: 0, myNotes: 0 };
  const clock = { ms: 5_000_000 };
  const registry = new Registry();
  const store = memoryResponseCacheStore({
    metrics: createResponseCacheMetrics(registry),
    now: () => clock.ms,
  });
  apollo = new ApolloServer<TestContext>({
    typeDefs,
    resolvers: {
      Query: {
        document: (_: unknown, { id }: { id: string }) => {
          calls.document += 1;
          if (id === 'broken') throw new Error('the subgraph failed');
          const title = titles.get(id);
          return title === undefined ? null : { id, title };
        },
        myNotes: (_: unknown, __: unknown, { principal }: TestContext) => {
          calls.myNotes += 1;
          return principal.kind === 'anonymous' ? [] : [`note of ${principal.userId}`];
        },
      },
      Mutation: {
        renameDocument: (_: unknown, { id, title }: { id: string; title: string }) => {
          titles.set(id, title);
          return { id, title };
        },
      },
    },
    plugins: [
      responseCachePlugin<TestContext>({
        store,
        getPrincipal: (context) => context.principal,
        enabled,
        isExempt: (context) => context.internal === true,
      }),
    ],
  });
  await apollo.start();
  const server = apollo;

  async function run(query: string, principal: Principal = anonymous, internal = false) {
    const response: GraphQLResponse = await server.executeOperation(
      { query },
      { contextValue: { principal, internal } },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return {
      result: response.body.singleResult,
      cacheControl: response.http.headers.get('cache-control'),
      age: response.http.headers.get('age'),
    };
  }
  const hits = async () => {
    const { values } = await registry.getSingleMetric('gateway_response_cache_total')!.get();
    return values.find((value) => value.labels.outcome === 'hit')?.value ?? 0;
  };
  return { run, calls, clock, hits, store };
}

const DOCUMENT = '{ document(id: "1") { id title } }';
const MY_NOTES = '{ myNotes }';

describe('response cache plugin over the memory store', () => {
  it('serves a PUBLIC query from the cache the second time, with its Age', async () => {
    const { run, calls, clock, hits } = await cachingServer();
    const first = await run(DOCUMENT);
    clock.ms += 5_000;
    const second = await run(DOCUMENT, userPrincipal('u-reader'));

    expect(first).toEqual({
      result: { data: { document: { id: '1', title: 'First title' } } },
      cacheControl: 'max-age=60, public',
      age: '0',
    });
    expect(second).toEqual({
      result: { data: { document: { id: '1', title: 'First title' } } },
      cacheControl: 'max-age=55, public',
      age: '5',
    });
    expect(calls.document).toBe(1);
    expect(await hits()).toBe(1);
  });

  it("never serves one principal's PRIVATE response to another", async () => {
    const { run, calls } = await cachingServer();
    const userA = userPrincipal('u-a');
    const first = await run(MY_NOTES, userA);
    const other = await run(MY_NOTES, userPrincipal('u-b'));
    const again = await run(MY_NOTES, userA);

    expect(first).toMatchObject({
      result: { data: { myNotes: ['note of u-a'] } },
      cacheControl: 'max-age=60, private',
    });
    expect(other.result).toEqual({ data: { myNotes: ['note of u-b'] } });
    expect(again).toMatchObject({ result: { data: { myNotes: ['note of u-a'] } }, age: '0' });
    // u-a's second read came from the cache; u-b's read was their own.
    expect(calls.myNotes).toBe(2);
  });

  it('neither reads nor writes PRIVATE entries for anonymous callers', async () => {
    const { run, calls } = await cachingServer();
    await run(MY_NOTES, anonymous);
    const second = await run(MY_NOTES, anonymous);
    expect(second.age).toBeUndefined();
    expect(calls.myNotes).toBe(2);
  });

  it('invalidates a cached read when a mutation names its entity, so the next read sees the write', async () => {
    const { run, calls } = await cachingServer();
    await run(DOCUMENT);
    const mutation = await run(
      'mutation { renameDocument(id: "1", title: "Renamed") { id title } }',
      userPrincipal('u-writer'),
    );
    const after = await run(DOCUMENT);

    expect(mutation.cacheControl).toBe('no-store');
    expect(after).toEqual({
      result: { data: { document: { id: '1', title: 'Renamed' } } },
      cacheControl: 'max-age=60, public',
      age: '0',
    });
    expect(calls.document).toBe(2);
  });

  it('stops serving a cached read once its entity tag is invalidated, as an event does', async () => {
    const { run, calls, store } = await cachingServer();
    await run(DOCUMENT);
    await store.invalidate(['Document:2'], 'event');
    expect((await run(DOCUMENT)).age).toBe('0');
    expect(calls.document).toBe(1);

    await store.invalidate(['Document:1'], 'event');
    await run(DOCUMENT);
    expect(calls.document).toBe(2);
  });

  it('never caches a response with errors', async () => {
    const { run, calls } = await cachingServer();
    const broken = '{ document(id: "broken") { id } }';
    expect((await run(broken)).result.errors).toHaveLength(1);
    expect((await run(broken)).result.errors).toHaveLength(1);
    expect(calls.document).toBe(2);
  });

  it('neither answers nor stores an exempt operation (a live delivery reads the change it announces)', async () => {
    const { run, calls, hits } = await cachingServer();
    await run(DOCUMENT, anonymous, true);
    await run(DOCUMENT); // not answered from the exempt run: it stored nothing
    const exempt = await run(DOCUMENT, anonymous, true); // not answered from the plain run's entry
    expect(exempt.age).toBeUndefined();
    expect(calls.document).toBe(3);
    expect(await hits()).toBe(0);
  });

  it('caches nothing when disabled', async () => {
    const { run, calls, hits } = await cachingServer({ enabled: false });
    await run(DOCUMENT);
    const second = await run(DOCUMENT);
    expect(second.age).toBeUndefined();
    expect(second.result).toEqual({ data: { document: { id: '1', title: 'First title' } } });
    expect(calls.document).toBe(2);
    expect(await hits()).toBe(0);
  });
});
