import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadDataConfig, startDataSubgraph, type DataSubgraph } from '@platform/data-subgraph';
import { createLogger } from '@platform/logger';
import { eventually, startPrivateRedis, type PrivateService } from '@platform/testing';
import {
  counter,
  graphql,
  graphqlWithHeaders,
  signUp,
  startTestPlatform,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

/** The gateway's policies end to end, on the real subgraphs: cost, rate limit, cache, resilience. */
let platform: TestPlatform;
let redis: PrivateService & { url: string };
let alice: SignedUpUser;
let bob: SignedUpUser;
let projectId: string;
let documentId: string;

const cacheHits = (metricsUrl: string) =>
  counter(metricsUrl, 'gateway_response_cache_total', { outcome: 'hit' });

const subgraphCalls = async (metricsUrl: string) =>
  (
    await Promise.all(
      ['user', 'data'].map((subgraph) =>
        counter(metricsUrl, 'gateway_subgraph_requests_total', { subgraph }),
      ),
    )
  ).reduce((sum, count) => sum + count, 0);

beforeAll(async () => {
  // A Redis of this file's own, so stopping it disturbs no other test.
  redis = await startPrivateRedis();
  platform = await startTestPlatform({ gatewayEnv: { REDIS_URL: redis.url } });
  const url = platform.gatewayUrl;
  [alice, bob] = [await signUp(url, 'alice'), await signUp(url, 'bob')];
  const project = await graphql<{ createProject: { id: string } }>(
    url,
    'mutation { createProject(input: { name: "Policy" }) { id } }',
    {},
    alice,
  );
  projectId = project.data!.createProject.id;
  const document = await graphql<{ createDocument: { id: string } }>(
    url,
    'mutation ($p: ID!) { createDocument(input: { projectId: $p, title: "Draft" }) { id } }',
    { p: projectId },
    alice,
  );
  documentId = document.data!.createDocument.id;
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await redis?.dispose();
}, 60_000);

describe('query cost', () => {
  it('refuses an operation over the cost limit before any subgraph is called', async () => {
    const before = await subgraphCalls(platform.gateway.metricsUrl);
    const result = await graphqlWithHeaders(
      platform.gatewayUrl,
      '{ me { projects(first: 100) { edges { node { documents(first: 100) { edges { node { title author { name } } } } } } } } }',
      {},
      alice,
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'COST_LIMIT_EXCEEDED',
      limit: 5000,
    });
    expect(result.errors?.[0]?.message).toMatch(/5000/);
    expect(await subgraphCalls(platform.gateway.metricsUrl)).toBe(before);
  });

  it('prices every alias and every fragment spread, so neither hides cost', async () => {
    const price = async (query: string) => {
      const result = await graphqlWithHeaders(platform.gatewayUrl, query, {}, alice);
      expect(result.errors).toBeUndefined();
      return (result.extensions as { cost: { requested: number } }).cost.requested;
    };
    const once = await price('{ me { projects(first: 10) { edges { node { name } } } } }');
    const aliased = await price(
      '{ me { a: projects(first: 10) { edges { node { name } } } b: projects(first: 10) { edges { node { name } } } c: projects(first: 10) { edges { node { name } } } } }',
    );
    const spread = await price(
      'fragment P on User { projects(first: 10) { edges { node { name } } } } { me { ...P ...P ...P } }',
    );
    expect(aliased).toBeGreaterThan(2.5 * once);
    expect(spread).toBe(aliased);
  });
});

describe('rate limit', () => {
  it('shares one budget between two gateway processes on one Redis, with exact headers', async () => {
    const settings = { RATE_LIMIT_USER_CAPACITY: '12', RATE_LIMIT_USER_REFILL_PER_SECOND: '0.001' };
    const gateways = [await platform.startGateway(settings), await platform.startGateway(settings)];
    const carol = await signUp(platform.gatewayUrl, 'carol'); // a fresh bucket

    const results = [];
    for (let n = 0; n < 20; n += 1) {
      results.push(await graphqlWithHeaders(gateways[n % 2]!.url, '{ me { id } }', {}, carol));
    }
    const passed = results.filter((result) => result.status === 200);
    const refused = results.filter((result) => result.status === 429);
    expect(passed).toHaveLength(12);
    expect(refused).toHaveLength(8);

    // Cost 1 each from a bucket of 12 refilled at 0.001/s: 11 left, full again in 1000 s.
    const first = results[0]!.headers;
    expect([
      first.get('ratelimit-limit'),
      first.get('ratelimit-remaining'),
      first.get('ratelimit-reset'),
    ]).toEqual(['12', '11', '1000']);
    const denied = refused[0]!;
    expect(denied.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(denied.headers.get('retry-after'))).toBeGreaterThan(900);
    expect(denied.headers.get('ratelimit-remaining')).toBe('0');
  });
});

describe('response cache', () => {
  const READ = 'query ($id: ID!) { document(id: $id) { id title } }';

  it('serves a repeated read from the cache and shows the caller its own write at once', async () => {
    const url = platform.gatewayUrl;
    const first = await graphqlWithHeaders(url, READ, { id: documentId }, alice);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+, private/);
    expect(first.headers.get('age')).toBe('0');
    const [hitsBefore, callsBefore] = [
      await cacheHits(platform.gateway.metricsUrl),
      await subgraphCalls(platform.gateway.metricsUrl),
    ];
    const second = await graphqlWithHeaders(url, READ, { id: documentId }, alice);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    expect(await cacheHits(platform.gateway.metricsUrl)).toBe(hitsBefore + 1);
    expect(await subgraphCalls(platform.gateway.metricsUrl)).toBe(callsBefore);

    await graphql(
      platform.gatewayUrl,
      'mutation ($id: ID!) { updateDocument(id: $id, expectedVersion: 1, patch: { title: "Final" }) { id } }',
      { id: documentId },
      alice,
    );
    const after = await graphqlWithHeaders(platform.gatewayUrl, READ, { id: documentId }, alice);
    expect(after.data).toEqual({ document: { id: documentId, title: 'Final' } });
  });

  it("never serves one user's private data to another", async () => {
    const me = '{ me { id email } }';
    const url = platform.gatewayUrl;
    await graphql(url, me, {}, alice);
    const hitsBefore = await cacheHits(platform.gateway.metricsUrl);
    await graphql(url, me, {}, alice);
    expect(await cacheHits(platform.gateway.metricsUrl)).toBe(hitsBefore + 1);

    const bobs = await graphqlWithHeaders(url, me, {}, bob);
    expect(bobs.data).toEqual({ me: { id: bob.id, email: bob.email } });
    expect(await cacheHits(platform.gateway.metricsUrl)).toBe(hitsBefore + 1);
  });
});

describe('a subgraph that stops', () => {
  it('answers partial data with SUBGRAPH_UNAVAILABLE under load, never a 5xx, and recovers without a restart', async () => {
    const url = platform.gatewayUrl;
    const query = 'query ($id: ID!) { me { name } project(id: $id) { name } }';
    const port = platform.data.port;
    const mongoDatabase = platform.data.db.databaseName;
    await platform.data.stop();

    const started = Date.now();
    const during = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        graphql(url, query, { id: projectId, n }, n % 2 ? alice : bob),
      ),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const result of during) {
      expect(result.status).toBe(200);
      expect(result.data?.me).toEqual({ name: expect.any(String) });
      expect(result.data?.project).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'SUBGRAPH_UNAVAILABLE',
        subgraph: 'data',
      });
    }

    const restarted: DataSubgraph = await startDataSubgraph(
      { ...loadDataConfig({ ...platform.secrets, MONGO_DATABASE: mongoDatabase }), PORT: port },
      createLogger('data', { level: 'silent' }),
      { publishEvents: false },
    );
    try {
      const full = await eventually(
        async () => {
          const result = await graphql(url, query, { id: projectId }, alice);
          expect(result.errors).toBeUndefined();
          return result;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(full.errors).toBeUndefined();
      expect(full.data).toEqual({ me: { name: 'alice' }, project: { name: 'Policy' } });
    } finally {
      await restarted.stop();
    }
  }, 60_000);
});

describe('Redis stopped', () => {
  it('keeps answering under the fallback limiter with the cache bypassed, and recovers when Redis returns', async () => {
    const url = platform.gatewayUrl;
    const me = '{ me { id } }';
    const fallbackBefore = await counter(
      platform.gateway.metricsUrl,
      'gateway_rate_limit_fallback_total',
    );
    await redis.stop();
    try {
      for (let n = 0; n < 5; n += 1) {
        const result = await graphqlWithHeaders(url, me, {}, alice);
        expect(result.status).toBe(200);
        expect(result.data).toEqual({ me: { id: alice.id } });
      }
      expect(
        await counter(platform.gateway.metricsUrl, 'gateway_rate_limit_fallback_total'),
      ).toBeGreaterThan(fallbackBefore);
      expect(
        await counter(platform.gateway.metricsUrl, 'gateway_response_cache_total', {
          outcome: 'bypass',
        }),
      ).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }

    // Back on Redis: the shared limiter decides again and reads are cached again.
    const cachedAgain = await eventually(
      async () => {
        await graphql(url, me, {}, alice);
        const cached =
          (await graphqlWithHeaders(url, me, {}, alice)).headers.get('age') !== null &&
          (await graphqlWithHeaders(url, me, {}, alice)).headers.get('age') !== '0';
        return cached || undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'reads cached again' },
    );
    expect(cachedAgain).toBe(true);
    const fallbackAfterRecovery = await counter(
      platform.gateway.metricsUrl,
      'gateway_rate_limit_fallback_total',
    );
    await graphql(url, me, {}, alice);
    expect(await counter(platform.gateway.metricsUrl, 'gateway_rate_limit_fallback_total')).toBe(
      fallbackAfterRecovery,
    );
  }, 60_000);
});
