import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningGateway } from '@platform/gateway';
import { errorCodes, startPrivateKafka, type PrivateService } from '@platform/testing';
// The dashboard the benchmark measures: the heaviest operation a person's session sends.
import { DASHBOARD_QUERY } from '../../bench/src/query.js';
import {
  counter,
  graphql,
  graphqlWithHeaders,
  signUp,
  startTestPlatform,
  type Credential,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

/**
 * Issue 12, budgets: a user's budget is one bucket however many API keys they create (a key may
 * also be capped on its own); the default tiers let a person click around (bursts of dashboards,
 * then about one a second) without ever seeing a 429 while a script hammering the same operations
 * is refused; and /metrics is not served on the public port. The platform runs all four subgraphs (the dashboard reads every one) with the
 * response cache off, so every operation is charged its full price.
 */
let kafka: PrivateService & { brokers: string[] };
let platform: TestPlatform;
let gatewayUrl: string;

beforeAll(async () => {
  kafka = await startPrivateKafka();
  platform = await startTestPlatform({
    events: { brokers: kafka.brokers },
    // A generous subgraph timeout: sign-up hashes a password on a machine shared with other tests.
    gatewayEnv: { RESPONSE_CACHE_ENABLED: 'false', SUBGRAPH_TIMEOUT_MS: '10000' },
  });
  gatewayUrl = platform.gatewayUrl;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await kafka?.dispose();
}, 60_000);

async function createApiKey(owner: SignedUpUser, name: string): Promise<string> {
  const created = await graphql<{ createApiKey: { secret: string } }>(
    gatewayUrl,
    'mutation ($name: String!) { createApiKey(name: $name, scopes: [READ]) { secret } }',
    { name },
    owner,
  );
  if (!created.data) throw new Error(`createApiKey failed: ${JSON.stringify(created.errors)}`);
  return created.data.createApiKey.secret;
}

describe("an API key's budget", () => {
  let small: RunningGateway;

  beforeAll(async () => {
    // A user tier of 40 tokens that does not refill while the test runs.
    small = await platform.startGateway({
      RATE_LIMIT_USER_CAPACITY: '40',
      RATE_LIMIT_USER_REFILL_PER_SECOND: '0.001',
      RESPONSE_CACHE_ENABLED: 'false',
    });
  }, 60_000);

  it("is its owner's: two keys and the owner's token draw on one bucket, and a new key adds nothing", async () => {
    const owner = await signUp(gatewayUrl, 'key-owner');
    const keys = [
      await createApiKey(owner, 'first'),
      await createApiKey(owner, 'second'),
      await createApiKey(owner, 'spare'),
    ];
    const [first, second, spare] = keys.map((apiKey): Credential => ({ apiKey }));
    const me = (credential: Credential) =>
      graphqlWithHeaders(small.url, '{ me { id } }', {}, credential);
    const remaining = (result: { headers: Headers }) =>
      Number(result.headers.get('ratelimit-remaining'));

    const byFirst = await me(first);
    const bySecond = await me(second);
    const byToken = await me(owner);
    expect([byFirst.status, bySecond.status, byToken.status]).toEqual([200, 200, 200]);
    expect(byFirst.headers.get('ratelimit-limit')).toBe('40');
    const cost = remaining(byFirst) - remaining(bySecond);
    expect(cost).toBeGreaterThanOrEqual(1);
    expect(remaining(byToken)).toBe(remaining(bySecond) - cost);

    // Spend the rest with the first key: then the second key, a key never used before and the
    // owner's token are refused too.
    let refused: Awaited<ReturnType<typeof me>> | undefined;
    for (let n = 0; n < 60 && !refused; n += 1) {
      const result = await me(first);
      if (result.status === 429) refused = result;
    }
    expect(refused).toBeDefined();
    expect(errorCodes(refused!)).toEqual(['RATE_LIMITED']);
    for (const credential of [second, spare, owner]) {
      const result = await me(credential);
      expect({ status: result.status, codes: errorCodes(result) }).toEqual({
        status: 429,
        codes: ['RATE_LIMITED'],
      });
    }
    // Another user's budget is untouched.
    const other = await signUp(gatewayUrl, 'other-user');
    expect((await me(other)).status).toBe(200);
  }, 60_000);
});

describe("an API key's own cap (RATE_LIMIT_API_KEY_CAPACITY)", () => {
  it('refuses the key once its cap is spent while its owner keeps the rest of their budget', async () => {
    const capped = await platform.startGateway({
      RATE_LIMIT_USER_CAPACITY: '40',
      RATE_LIMIT_USER_REFILL_PER_SECOND: '0.001',
      RATE_LIMIT_API_KEY_CAPACITY: '10',
      RATE_LIMIT_API_KEY_REFILL_PER_SECOND: '0.001',
      RESPONSE_CACHE_ENABLED: 'false',
    });
    const owner = await signUp(gatewayUrl, 'capped-owner');
    const key: Credential = { apiKey: await createApiKey(owner, 'script') };
    const me = (credential: Credential) =>
      graphqlWithHeaders(capped.url, '{ me { id } }', {}, credential);

    const byKey = [];
    for (let n = 0; n < 40; n += 1) {
      const result = await me(key);
      byKey.push(result);
      if (result.status === 429) break;
    }
    const refused = byKey.at(-1)!;
    expect({ status: refused.status, codes: errorCodes(refused) }).toEqual({
      status: 429,
      codes: ['RATE_LIMITED'],
    });
    expect(byKey[0]!.headers.get('ratelimit-limit')).toBe('10');
    const spent = 10 - Number(byKey.at(-2)!.headers.get('ratelimit-remaining'));

    const byOwner = await me(owner);
    expect(byOwner.status).toBe(200);
    expect(byOwner.headers.get('ratelimit-limit')).toBe('40');
    // The key's charges came out of the owner's budget too.
    expect(Number(byOwner.headers.get('ratelimit-remaining'))).toBeLessThanOrEqual(40 - spent);
  }, 60_000);
});

describe('the default budget', () => {
  /** The operations of a session in the web app and the SDK, by name, heaviest first. */
  const PROJECTS = 'query { projects(first: 20) { edges { node { id name createdAt } } } }';
  const DOCUMENTS =
    'query ($id: ID!) { project(id: $id) { documents(first: 20) { edges { node { id title tags version updatedAt author { id name } } } } } }';
  const NOTIFICATIONS =
    'query { me { unreadCount notifications(first: 20) { edges { node { id kind message read createdAt } } } } }';

  async function seedProject(owner: SignedUpUser): Promise<string> {
    const project = await graphql<{ createProject: { id: string } }>(
      gatewayUrl,
      'mutation { createProject(input: { name: "Budgets" }) { id } }',
      {},
      owner,
    );
    if (!project.data) throw new Error(`createProject failed: ${JSON.stringify(project.errors)}`);
    const projectId = project.data.createProject.id;
    for (let n = 0; n < 3; n += 1) {
      const document = await graphql(
        gatewayUrl,
        'mutation ($projectId: ID!, $title: String!) { createDocument(input: { projectId: $projectId, title: $title }) { id } }',
        { projectId, title: `Doc ${n}` },
        owner,
      );
      expect(document.errors).toBeUndefined();
    }
    return projectId;
  }

  it('never refuses a person clicking around: a burst of 30 dashboards among other pages, then one a second', async () => {
    const person = await signUp(gatewayUrl, 'clicker');
    const projectId = await seedProject(person);
    const results: Awaited<ReturnType<typeof graphqlWithHeaders>>[] = [];
    const send = async (query: string, variables: Record<string, unknown> = {}) => {
      results.push(await graphqlWithHeaders(gatewayUrl, query, variables, person));
    };

    // A burst: the dashboard refreshed 30 times as fast as it answers, with the pages between.
    for (let n = 0; n < 30; n += 1) {
      await send(DASHBOARD_QUERY);
      if (n % 5 === 0) await send(PROJECTS);
      if (n % 5 === 1) await send(DOCUMENTS, { id: projectId });
      if (n % 5 === 2) await send(NOTIFICATIONS);
    }
    // Then steady use: one dashboard a second.
    for (let n = 0; n < 8; n += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await send(DASHBOARD_QUERY);
    }

    const refused = results.filter((result) => result.status !== 200 || result.errors);
    expect(refused.map((result) => ({ status: result.status, codes: errorCodes(result) }))).toEqual(
      [],
    );
    expect(results).toHaveLength(30 + 18 + 8);
    // The dashboard is one of the expensive operations the budget is sized for.
    const dashboardCost = (results[0]!.extensions?.cost as { requested?: number } | undefined)
      ?.requested;
    expect(dashboardCost).toBeGreaterThan(200);
  }, 120_000);

  it('charges a page served from the cache a tenth of its price, rounded up', async () => {
    // No refill while the test runs, so the tokens left show each charge exactly.
    const cached = await platform.startGateway({
      RESPONSE_CACHE_ENABLED: 'true',
      SUBGRAPH_TIMEOUT_MS: '10000',
      RATE_LIMIT_USER_REFILL_PER_SECOND: '0.001',
    });
    const person = await signUp(gatewayUrl, 'cached');
    await seedProject(person);
    const remaining = (result: { headers: Headers }) =>
      Number(result.headers.get('ratelimit-remaining'));
    const read = () => graphqlWithHeaders(cached.url, PROJECTS, {}, person);
    // The Kafka events of the writes above invalidate cached answers when they arrive (and again
    // 5 s later): read until an answer comes from the cache, and compare it with the one before.
    const served = () =>
      counter(cached.metricsUrl, 'gateway_response_cache_fast_path_total', { outcome: 'served' });
    let before = await read();
    let hit: Awaited<ReturnType<typeof read>> | undefined;
    for (let n = 0; n < 40 && !hit; n += 1) {
      const servedBefore = await served();
      const next = await read();
      if ((await served()) > servedBefore) hit = next;
      else before = next;
    }
    expect(hit).toBeDefined();
    expect([before.status, before.errors, hit!.status, hit!.errors]).toEqual([
      200,
      undefined,
      200,
      undefined,
    ]);
    const price = (before.extensions?.cost as { requested: number }).requested;
    expect(price).toBeGreaterThan(20);
    expect(remaining(before) - remaining(hit!)).toBe(Math.ceil(price / 10));
  }, 60_000);

  it('refuses a script hammering the dashboard with 429 RATE_LIMITED, after the burst a person gets', async () => {
    const script = await signUp(gatewayUrl, 'hammer');
    let sent = 0;
    let passedBeforeRefusal = 0;
    let refusal: Awaited<ReturnType<typeof graphqlWithHeaders>> | undefined;
    // Eight requests at a time, as fast as the gateway answers, until the first refusal.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!refusal && sent < 600) {
          sent += 1;
          const result = await graphqlWithHeaders(gatewayUrl, DASHBOARD_QUERY, {}, script);
          if (result.status === 429) refusal ??= result;
          else if (!refusal) passedBeforeRefusal += 1;
        }
      }),
    );
    expect(refusal).toBeDefined();
    expect(errorCodes(refusal!)).toEqual(['RATE_LIMITED']);
    expect(Number(refusal!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // At least the 12,000-token burst passed first (56 dashboards of 214).
    expect(passedBeforeRefusal).toBeGreaterThanOrEqual(50);
  }, 120_000);
});

describe('/metrics', () => {
  it('is not served on the public port by default, and is on the internal listener', async () => {
    const gateway = platform.gateway;
    const publicMetrics = await fetch(new URL('/metrics', gateway.url));
    expect(publicMetrics.status).toBe(404);
    expect(await publicMetrics.text()).not.toContain('gateway_');

    const internal = await fetch(gateway.metricsUrl);
    expect(internal.status).toBe(200);
    expect(new URL(gateway.metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(gateway.metricsUrl).port).not.toBe(new URL(gateway.url).port);
    const text = await internal.text();
    expect(text).toMatch(/^gateway_rate_limit_shared 1$/m);
    expect(text).toMatch(/^gateway_http_requests_total\{/m);
  });

  it('is served on the public port only with METRICS_TOKEN, to requests bearing it', async () => {
    const token = 'metrics-scraper-token-0123456789';
    const gateway = await platform.startGateway({ METRICS_TOKEN: token });
    const publicMetrics = (authorization?: string) =>
      fetch(new URL('/metrics', gateway.url), {
        headers: authorization ? { authorization } : {},
      });
    expect((await publicMetrics()).status).toBe(404);
    expect((await publicMetrics('Bearer not-the-token-at-all-0000')).status).toBe(404);
    const authorized = await publicMetrics(`Bearer ${token}`);
    expect(authorized.status).toBe(200);
    expect(await authorized.text()).toMatch(/^gateway_rate_limit_shared 1$/m);
  }, 60_000);
});
