import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueAccessToken } from '@platform/identity';
import type { RunningGateway } from '@platform/gateway';
import { startPrivateRedis, type PrivateService } from '@platform/testing';
import {
  counter,
  graphql,
  signUp,
  startTestPlatform,
  type Credential,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

/**
 * The response cache's fast path (hits answered before Apollo Server) and its in-process tier, on
 * the real subgraphs: a gateway with both (`fast`, and `other`, a second such process) against
 * one with neither (`normal`), all on one Redis of this file's own.
 */
let platform: TestPlatform;
let redis: PrivateService & { url: string };
let fast: RunningGateway;
let other: RunningGateway;
let normal: RunningGateway;
let alice: SignedUpUser;
let bob: SignedUpUser;

const ME = 'query Me { me { id email name } }';

beforeAll(async () => {
  redis = await startPrivateRedis();
  // A generous subgraph timeout: sign-up hashes a password on a machine shared with other tests.
  platform = await startTestPlatform({
    gatewayEnv: { REDIS_URL: redis.url, SUBGRAPH_TIMEOUT_MS: '10000' },
  });
  fast = platform.gateway;
  other = await platform.startGateway();
  normal = await platform.startGateway({
    RESPONSE_CACHE_FAST_PATH_ENABLED: 'false',
    RESPONSE_CACHE_LOCAL_ENABLED: 'false',
  });
  [alice, bob] = [await signUp(fast.url, 'alice'), await signUp(fast.url, 'bob')];
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await redis?.dispose();
}, 60_000);

/** The raw answer: its exact body text and headers. */
async function postBody(url: string, body: object, credential: Credential) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential && 'token' in credential) headers.authorization = `Bearer ${credential.token}`;
  if (credential && 'apiKey' in credential) headers['x-api-key'] = credential.apiKey;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const post = (
  url: string,
  query: string,
  credential: Credential,
  variables: Record<string, unknown> = {},
) => postBody(url, { query, variables }, credential);

const served = (gateway: RunningGateway) =>
  counter(gateway.metricsUrl, 'gateway_response_cache_fast_path_total', { outcome: 'served' });
const localHits = (gateway: RunningGateway) =>
  counter(gateway.metricsUrl, 'gateway_response_cache_local_total', { outcome: 'hit' });

/** Headers that differ between any two answers, whichever path: date, request id, tokens left. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'ratelimit-remaining', 'age', 'cache-control']);
const stableHeaders = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => !PER_ANSWER.has(name)));
/** `max-age` + `Age`: the entry's whole life, the same on both paths. */
const lifeOf = (headers: Headers) =>
  Number(/max-age=(\d+)/.exec(headers.get('cache-control') ?? '')?.[1]) +
  Number(headers.get('age'));

describe('cache fast path', () => {
  it("answers a hit with the normal path's body and headers", async () => {
    const miss = await post(fast.url, ME, alice);
    expect(miss.headers.get('age')).toBe('0');

    const servedBefore = await served(fast);
    const viaApollo = await post(normal.url, ME, alice);
    const viaFastPath = await post(fast.url, ME, alice);
    expect(await served(fast)).toBe(servedBefore + 1);

    expect(viaFastPath.status).toBe(200);
    expect(viaFastPath.text).toBe(viaApollo.text);
    expect(JSON.parse(viaFastPath.text)).toMatchObject({
      data: { me: { id: alice.id, email: alice.email } },
      extensions: { cost: { requested: expect.any(Number), limit: 5000 } },
    });
    expect(stableHeaders(viaFastPath.headers)).toEqual(stableHeaders(viaApollo.headers));
    expect(viaFastPath.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
    expect(lifeOf(viaFastPath.headers)).toBe(lifeOf(viaApollo.headers));
    expect(viaFastPath.headers.get('x-request-id')).toMatch(/\S/);
    expect(viaFastPath.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
  });

  it('serves a persisted query sent by hash only while the hash is registered', async () => {
    const query = 'query MeByHash { me { id } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const byHash = (url: string) =>
      postBody(url, { extensions: { persistedQuery: { version: 1, sha256Hash } } }, alice);
    const servedBefore = await served(fast);

    const unregistered = await byHash(fast.url);
    expect(JSON.parse(unregistered.text).errors[0].extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    await postBody(
      fast.url,
      { query, extensions: { persistedQuery: { version: 1, sha256Hash } } },
      alice,
    );
    const viaFastPath = await byHash(fast.url);
    expect(await served(fast)).toBe(servedBefore + 1);
    expect(viaFastPath.text).toBe((await byHash(normal.url)).text);
    expect(JSON.parse(viaFastPath.text).data).toEqual({ me: { id: alice.id } });
  });

  it("never serves a principal's PRIVATE entry to another, nor to an anonymous caller", async () => {
    await post(fast.url, ME, alice);
    await post(fast.url, ME, alice);
    const servedBefore = await served(fast);

    const bobs = await post(fast.url, ME, bob);
    expect(JSON.parse(bobs.text).data).toEqual({
      me: { id: bob.id, email: bob.email, name: 'bob' },
    });
    const anonymous = await post(fast.url, ME, undefined);
    const anonymousViaApollo = await post(normal.url, ME, undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toBe(anonymousViaApollo.text);
    expect(await served(fast)).toBe(servedBefore);
  });

  it('charges the rate limit on every hit it serves, and refuses with 429 once the bucket is empty', async () => {
    const limited = await platform.startGateway({
      RATE_LIMIT_USER_CAPACITY: '6',
      RATE_LIMIT_USER_REFILL_PER_SECOND: '0.001',
    });
    const carol = await signUp(fast.url, 'carol'); // a fresh bucket
    const answers = [];
    for (let n = 0; n < 8; n += 1) answers.push(await post(limited.url, ME, carol));

    const remaining = answers
      .filter((answer) => answer.status === 200)
      .map((answer) => Number(answer.headers.get('ratelimit-remaining')));
    // `me { id email name }` costs 1: a miss, then fast-path hits, each charged.
    expect(remaining).toEqual([5, 4, 3, 2, 1, 0]);
    expect(await served(limited)).toBe(5);
    const refused = answers[6]!;
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refuses an expired access token and a revoked API key, as the normal path does', async () => {
    const { token } = await issueAccessToken(
      { userId: alice.id, role: 'USER' },
      platform.secrets.JWT_SECRET,
      2,
    );
    await post(fast.url, ME, alice);
    const servedBefore = await served(fast);
    expect((await post(fast.url, ME, { token })).status).toBe(200);
    expect(await served(fast)).toBe(servedBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const expired = await post(fast.url, ME, { token });
    expect(expired.status).toBe(401);
    expect(expired.text).toBe((await post(normal.url, ME, { token })).text);

    // Verdicts are not cached, so a revocation counts from the next request.
    const keyed = await platform.startGateway({ API_KEY_CACHE_SECONDS: '0' });
    const created = await graphql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      keyed.url,
      'mutation { createApiKey(name: "dashboard", scopes: [READ]) { apiKey { id } secret } }',
      {},
      alice,
    );
    const apiKey = created.data!.createApiKey.secret;
    await post(keyed.url, ME, { apiKey });
    expect((await post(keyed.url, ME, { apiKey })).status).toBe(200);
    expect(await served(keyed)).toBe(1);
    await graphql(
      keyed.url,
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: created.data!.createApiKey.apiKey.id },
      alice,
    );
    const revoked = await post(keyed.url, ME, { apiKey });
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await served(keyed)).toBe(1);
  }, 30_000);
});

describe('local tier', () => {
  it("drops another process's local copy when a mutation invalidates it", async () => {
    const project = await graphql<{ createProject: { id: string } }>(
      fast.url,
      'mutation { createProject(input: { name: "Local" }) { id } }',
      {},
      alice,
    );
    const created = await graphql<{ createDocument: { id: string } }>(
      fast.url,
      'mutation ($p: ID!) { createDocument(input: { projectId: $p, title: "Draft" }) { id } }',
      { p: project.data!.createProject.id },
      alice,
    );
    const id = created.data!.createDocument.id;
    const READ = 'query ($id: ID!) { document(id: $id) { id title } }';
    const titleOn = async (gateway: RunningGateway) =>
      JSON.parse((await post(gateway.url, READ, alice, { id })).text).data.document.title;

    // On process B: a miss, a Redis hit that fills its local tier, a local hit.
    expect([await titleOn(other), await titleOn(other)]).toEqual(['Draft', 'Draft']);
    const localBefore = await localHits(other);
    expect(await titleOn(other)).toBe('Draft');
    expect(await localHits(other)).toBe(localBefore + 1);

    // Process A writes; B must not answer from its local copy.
    await graphql(
      fast.url,
      'mutation ($id: ID!) { updateDocument(id: $id, expectedVersion: 1, patch: { title: "Final" }) { id } }',
      { id },
      alice,
    );
    expect(await titleOn(other)).toBe('Final');
  });
});
