import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent } from '@platform/events';
import { eventually, freePort, postGraphQL as post } from '@platform/testing';
import {
  as,
  counted,
  startCachingGateway,
  startTestSubgraphs,
  type TestSubgraphs,
} from './cache-platform.js';
import { cacheInvalidationHandler } from '../../src/response-cache/event-invalidation.js';
import type { ResponseCacheStore } from '../../src/response-cache/store.js';

let subgraphs: TestSubgraphs;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  subgraphs = await startTestSubgraphs();
  const { documents, members } = subgraphs.state;
  members.set('7', new Set(['u-a', 'u-b']));
  members.set('8', new Set(['u-a', 'u-b']));
  for (const [id, projectId] of [
    ['41', '8'],
    ['42', '7'],
    ['43', '7'],
    ['50', '8'],
    ['51', '8'],
    ['60', '8'],
    ['61', '8'],
  ] as const) {
    documents.set(id, { id, title: `Document ${id}`, projectId });
  }
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await subgraphs.stop();
});

async function gateway(options?: Parameters<typeof startCachingGateway>[1]) {
  const started = await startCachingGateway(subgraphs.supergraphSdl, options);
  cleanups.push(started.stop);
  return started;
}

const calls = () => ({ ...subgraphs.state.calls });

/** The event handler without its repeated invalidation, unless `repeatAfterMs` is given. */
function invalidation(store: ResponseCacheStore, repeatAfterMs = 0) {
  const handler = cacheInvalidationHandler(store, { repeatAfterMs });
  cleanups.push(async () => handler.stop());
  return handler;
}

const DOCUMENT_WITH_VIEWS = {
  query: 'query Doc($id: ID!) { document(id: $id) { id title viewer views } }',
  variables: { id: '41' },
};

describe('response cache', () => {
  it('serves a cacheable query from Redis the second time, with Age and Cache-Control', async () => {
    const { url, registry } = await gateway();
    const userA = await as('u-a');

    const before = calls();
    const first = await post(url, DOCUMENT_WITH_VIEWS, userA);
    const afterFirst = calls();
    const second = await post(url, DOCUMENT_WITH_VIEWS, userA);

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      data: { document: { id: '41', title: 'Document 41', viewer: 'u-a', views: 7 } },
    });
    // The stats subgraph's maxAge (30) is the most restrictive of the two.
    expect(first.headers.get('cache-control')).toBe('max-age=30, private');
    expect(first.headers.get('age')).toBe('0');
    expect(afterFirst).toEqual({ docs: before.docs + 1, stats: before.stats + 1 });

    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(calls()).toEqual(afterFirst);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    const maxAge = Number(
      /^max-age=(\d+), private$/.exec(second.headers.get('cache-control')!)![1],
    );
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge + Number(second.headers.get('age'))).toBe(30);
    expect(await counted(registry, 'gateway_response_cache_total', 'hit')).toBe(1);
    expect(await counted(registry, 'gateway_response_cache_total', 'store')).toBe(1);
  });

  it("never serves one user's PRIVATE data to another user", async () => {
    const { url } = await gateway();
    const query = { query: '{ document(id: "41") { title viewer } }' };
    const first = await post(url, query, await as('u-a'));
    expect(first.body.data).toEqual({ document: { title: 'Document 41', viewer: 'u-a' } });

    const before = calls();
    const ofB = await post(url, query, await as('u-b'));
    expect(ofB.body.data).toEqual({ document: { title: 'Document 41', viewer: 'u-b' } });
    expect(calls().docs).toBe(before.docs + 1);

    const againA = await post(url, query, await as('u-a'));
    expect(againA.body.data).toEqual(first.body.data);
    expect(calls().docs).toBe(before.docs + 1);
  });

  it('neither reads nor writes PRIVATE entries for anonymous callers', async () => {
    const { url } = await gateway();
    const query = { query: '{ document(id: "41") { title } }' };
    await post(url, query, await as('u-a'));

    const before = calls();
    const first = await post(url, query);
    const second = await post(url, query);
    expect(first.body.data).toEqual({ document: null });
    expect(second.body.data).toEqual({ document: null });
    expect(calls().docs).toBe(before.docs + 2);
  });

  it('serves a PUBLIC entry to every caller, signed in or not', async () => {
    const { url } = await gateway();
    const query = { query: '{ announcement }' };
    const before = calls();
    const first = await post(url, query, await as('u-a'));
    const ofB = await post(url, query, await as('u-b'));
    const anonymous = await post(url, query);

    expect(first.headers.get('cache-control')).toBe('max-age=60, public');
    for (const reply of [ofB, anonymous]) {
      expect(reply.body).toEqual({ data: { announcement: 'hello everyone' } });
      expect(reply.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    }
    expect(calls().docs).toBe(before.docs + 1);
  });

  it('never caches a response with errors', async () => {
    const { url } = await gateway();
    const query = { query: '{ failing { title } announcement }' };
    const before = calls();
    const first = await post(url, query, await as('u-a'));
    const second = await post(url, query, await as('u-a'));

    expect(first.body.errors?.[0]?.message).toMatch(/the store failed/);
    expect(second.body.errors?.[0]?.message).toMatch(/the store failed/);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(calls().docs).toBe(before.docs + 2);
  });

  it('never caches a response holding a field with maxAge 0', async () => {
    const { url } = await gateway();
    const query = { query: '{ clock announcement }' };
    const before = calls();
    const first = await post(url, query, await as('u-a'));
    const second = await post(url, query, await as('u-a'));
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(second.body.data?.clock).not.toEqual(first.body.data?.clock);
    expect(calls().docs).toBe(before.docs + 2);
  });

  it('never caches a mutation, and answers it with Cache-Control: no-store', async () => {
    const { url } = await gateway();
    const mutation = {
      query: 'mutation { renameDocument(id: "43", title: "Same title") { id title } }',
    };
    const before = calls();
    const first = await post(url, mutation, await as('u-a'));
    const second = await post(url, mutation, await as('u-a'));
    expect(first.body.data).toEqual({ renameDocument: { id: '43', title: 'Same title' } });
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(calls().docs).toBe(before.docs + 2);
  });

  it('shows a write to every reader: a mutation invalidates the cached reads holding its entities', async () => {
    const { url, registry } = await gateway();
    const read = { query: '{ document(id: "42") { id title } }' };
    const [userA, userB] = [await as('u-a'), await as('u-b')];
    await post(url, read, userA);
    await post(url, read, userB);
    const cached = calls();
    expect((await post(url, read, userB)).body.data).toEqual({
      document: { id: '42', title: 'Document 42' },
    });
    expect(calls()).toEqual(cached);

    const write = await post(
      url,
      { query: 'mutation { renameDocument(id: "42", title: "Renamed") { id } }' },
      userA,
    );
    expect(write.body.data).toEqual({ renameDocument: { id: '42' } });

    const ofA = await post(url, read, userA);
    const ofB = await post(url, read, userB);
    expect(ofA.body.data).toEqual({ document: { id: '42', title: 'Renamed' } });
    expect(ofB.body.data).toEqual({ document: { id: '42', title: 'Renamed' } });
    expect(calls().docs).toBe(cached.docs + 3);
    expect(
      await counted(registry, 'gateway_response_cache_invalidations_total', 'mutation'),
    ).toBeGreaterThan(0);
  });

  it("invalidates another user's cached list that holds the entity a mutation changed", async () => {
    const { url } = await gateway();
    const list = { query: '{ documents(projectId: "7") { id title } }' };
    const userB = await as('u-b');
    await post(url, list, userB);

    await post(
      url,
      { query: 'mutation { renameDocument(id: "43", title: "Renamed in a list") { id } }' },
      await as('u-a'),
    );

    const documents = (await post(url, list, userB)).body.data?.documents;
    expect(documents).toContainEqual({ id: '43', title: 'Renamed in a list' });
  });

  it('shows the caller their write in lists no entity tag of the mutation reaches', async () => {
    const { url } = await gateway();
    const userA = await as('u-a');
    const list = { query: '{ documents(projectId: "8") { id } }' };
    const ids = async () =>
      ((await post(url, list, userA)).body.data?.documents as { id: string }[]).map((d) => d.id);
    expect(await ids()).toContain('50');

    // deleteDocument answers a bare ID: the caller's own entries are invalidated instead.
    await post(url, { query: 'mutation { deleteDocument(id: "50") }' }, userA);
    expect(await ids()).not.toContain('50');
  });

  it('invalidates on an event about an entity of the response (handler called directly)', async () => {
    const { url, store, registry } = await gateway();
    const userB = await as('u-b');
    const read = { query: '{ subject(id: "51") { ... on Document { title } } }' };
    await post(url, read, userB);
    subgraphs.state.documents.get('51')!.title = 'Changed elsewhere';
    expect((await post(url, read, userB)).body.data).toEqual({
      subject: { title: 'Document 51' },
    });

    await invalidation(store).handle(
      createEvent('document.updated', {
        actor: { userId: 'u-a' },
        subject: { type: 'Document', id: '51' },
        data: {
          projectId: '8',
          title: 'Changed elsewhere',
          version: 2,
          changedFields: ['title'],
          memberIds: ['u-a', 'u-b'],
        },
      }),
    );

    expect((await post(url, read, userB)).body.data).toEqual({
      subject: { title: 'Changed elsewhere' },
    });
    // Document:51, Project:8 and the two members' users.
    expect(await counted(registry, 'gateway_response_cache_invalidations_total', 'event')).toBe(4);
  });

  it("invalidates a project's lists on an event about a new document in it", async () => {
    const { url, store } = await gateway();
    const userB = await as('u-b');
    const list = { query: '{ documents(projectId: "7") { id } }' };
    await post(url, list, userB);
    subgraphs.state.documents.set('44', { id: '44', title: 'New', projectId: '7' });
    expect(JSON.stringify((await post(url, list, userB)).body)).not.toContain('"44"');

    await invalidation(store).handle(
      createEvent('document.created', {
        actor: { userId: 'u-a' },
        subject: { type: 'Document', id: '44' },
        data: { projectId: '7', title: 'New', version: 1, memberIds: ['u-a', 'u-b'] },
      }),
    );

    expect(JSON.stringify((await post(url, list, userB)).body)).toContain('"44"');
  });

  it("invalidates an event's tags again a moment later, for data other consumers derive from it", async () => {
    const { url, store } = await gateway();
    const userB = await as('u-b');
    const read = { query: '{ document(id: "61") { title } }' };
    await post(url, read, userB);

    const event = createEvent('document.updated', {
      actor: { userId: 'u-a' },
      subject: { type: 'Document', id: '61' },
      data: {
        projectId: '8',
        title: 'Derived later',
        version: 2,
        changedFields: ['title'],
        memberIds: ['u-a', 'u-b'],
      },
    });
    await invalidation(store, 300).handle(event);
    // A read right after the event caches what the slower consumer has not applied yet...
    await post(url, read, userB);
    // ...which it then applies: the repeated invalidation lets readers see it before maxAge.
    subgraphs.state.documents.get('61')!.title = 'Derived later';
    await eventually(
      async () => {
        expect((await post(url, read, userB)).body.data).toEqual({
          document: { title: 'Derived later' },
        });
        return true;
      },
      { timeoutMs: 10_000 },
    );
  });
});

describe('response cache without Redis', () => {
  it('answers every request as if there were no cache, counting each bypass and logging once', async () => {
    const { url, registry, warnings } = await gateway({
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
    });
    const userA = await as('u-a');

    const before = calls();
    const replies = [
      await post(url, DOCUMENT_WITH_VIEWS, userA),
      await post(url, DOCUMENT_WITH_VIEWS, userA),
      await post(url, { query: 'mutation { renameDocument(id: "60", title: "x") { id } }' }, userA),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(replies[1]!.body).toEqual(replies[0]!.body);
    expect(replies[2]!.body).toEqual({ data: { renameDocument: { id: '60' } } });
    expect(calls().docs).toBe(before.docs + 3);
    expect(await counted(registry, 'gateway_response_cache_total', 'bypass')).toBe(3);
    expect(warnings().filter((message) => /response cache/.test(message))).toHaveLength(1);
  });
});

describe('automatic persisted queries', () => {
  const query = '{ announcement }';
  const persisted = (withQuery: boolean) => ({
    ...(withQuery && { query }),
    extensions: {
      persistedQuery: {
        version: 1,
        sha256Hash: createHash('sha256').update(query).digest('hex'),
      },
    },
  });

  it('registers a query by hash and serves it by hash alone, from every gateway on the Redis', async () => {
    const first = await gateway();
    const hashOnly = await post(first.url, persisted(false));
    expect(hashOnly.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);

    const registered = await post(first.url, persisted(true));
    expect(registered.body).toEqual({ data: { announcement: 'hello everyone' } });

    const byHash = await post(first.url, persisted(false));
    expect(byHash.body).toEqual({ data: { announcement: 'hello everyone' } });

    const second = await gateway({ keyPrefix: first.keyPrefix });
    expect((await post(second.url, persisted(false))).body).toEqual({
      data: { announcement: 'hello everyone' },
    });
  });

  it('degrades to PersistedQueryNotFound, never a failure, when Redis is down', async () => {
    const { url } = await gateway({ redisUrl: `redis://127.0.0.1:${await freePort()}` });

    const hashOnly = await post(url, persisted(false));
    expect(hashOnly.status).toBe(200);
    expect(hashOnly.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    const withQuery = await post(url, persisted(true));
    expect(withQuery.status).toBe(200);
    expect(withQuery.body).toEqual({ data: { announcement: 'hello everyone' } });
  });
});
