import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, postGraphQL, startPrivateRedis, type PrivateService } from '@platform/testing';
import type { RunningGateway } from '@platform/gateway';
import {
  counter,
  graphql,
  graphqlWithHeaders,
  signUp,
  startTestPlatform,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

/**
 * Issue 12's HTTP attacks on the real platform: one caller's batches, free operations, huge
 * documents and client mistakes. For the attacks a second user, the victim, sends `{ me { id } }`
 * while the attack runs; each of those must succeed, with no SUBGRAPH_UNAVAILABLE and no breaker
 * opening.
 */
let platform: TestPlatform;
let alice: SignedUpUser;
let bob: SignedUpUser;
const redises: PrivateService[] = [];

const ME = '{ me { id } }';
/** 520,002 tokens that parse as far as the lexer reads them, in a body under MAX_BODY_BYTES. */
const HUGE_DOCUMENT = `{ ${'a '.repeat(520_000)}}`;
const USER_BY_ID = 'query U($id: ID!) { user(id: $id) { id } }';

interface OperationResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

interface VictimAnswer {
  status: number;
  body: OperationResult;
  elapsedMs: number;
}

/**
 * A sanity bound only, far above a `{ me { id } }` on a loaded 2-core CI machine (jest runs suites
 * side by side): what proves the defence is that every answer is clean and no breaker opens; the
 * victim's latency under each attack is measured by the soak (`npm run bench -- abuse`).
 */
const VICTIM_BOUND_MS = 5_000;

/** The victim's `{ me { id } }`, one after another, until `attack` settles. */
async function victimDuring<T>(
  url: string,
  victim: SignedUpUser,
  attack: Promise<T>,
): Promise<{ attack: T; answers: VictimAnswer[] }> {
  let settled = false;
  const attacking = attack.finally(() => {
    settled = true;
  });
  const answers: VictimAnswer[] = [];
  do {
    const started = Date.now();
    const { status, data, errors } = await graphql(url, ME, {}, victim);
    answers.push({ status, body: { data, errors }, elapsedMs: Date.now() - started });
  } while (!settled);
  return { attack: await attacking, answers };
}

function expectVictimServed(answers: VictimAnswer[], victim: SignedUpUser): void {
  expect(answers.length).toBeGreaterThan(0);
  for (const { status, body } of answers) {
    expect({ status, body }).toEqual({ status: 200, body: { data: { me: { id: victim.id } } } });
  }
  expect(Math.max(...answers.map((answer) => answer.elapsedMs))).toBeLessThan(VICTIM_BOUND_MS);
}

/**
 * A gateway of the platform's whose rate limits live in a fresh Redis of its own, once its limiter
 * decides there (a fresh connection is not ready at once, and the per-process fallback would
 * decide meanwhile), and the RateLimit-Remaining the anonymous bucket has then.
 */
async function gatewayWithOwnBuckets(
  env: Record<string, string>,
): Promise<{ gateway: RunningGateway; remaining: number }> {
  const redis = await startPrivateRedis();
  redises.push(redis);
  const gateway = await platform.startGateway({ REDIS_URL: redis.url, ...env });
  const fallbacks = () => counter(gateway.metricsUrl, 'gateway_rate_limit_fallback_total');
  const remaining = await eventually(async () => {
    const before = await fallbacks();
    const { headers } = await graphqlWithHeaders(gateway.url, '{ __typename }');
    expect(await fallbacks()).toBe(before);
    return Number(headers.get('ratelimit-remaining'));
  });
  return { gateway, remaining };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob] = [
    await signUp(platform.gatewayUrl, 'alice'),
    await signUp(platform.gatewayUrl, 'bob'),
  ];
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  for (const redis of redises) await redis.dispose();
}, 60_000);

describe('HTTP batches', () => {
  it('refuses a batch of 500 operations with 400 BATCH_LIMIT_EXCEEDED before running any', async () => {
    const url = platform.gatewayUrl;
    const before = await counter(platform.gateway.metricsUrl, 'gateway_subgraph_requests_total', {
      subgraph: 'user',
    });
    const batch = Array.from({ length: 500 }, () => ({
      query: USER_BY_ID,
      variables: { id: randomUUID() },
    }));
    const { status, body, headers } = await postGraphQL(url, batch, {
      authorization: `Bearer ${alice.token}`,
    });

    expect(status).toBe(400);
    // Charged like any request refused before pricing: it carries alice's RateLimit-* headers.
    expect(headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    expect(body.errors).toEqual([
      {
        message: expect.stringContaining('at most 10 operations'),
        extensions: { code: 'BATCH_LIMIT_EXCEEDED', operations: 500, limit: 10 },
      },
    ]);
    expect(
      await counter(platform.gateway.metricsUrl, 'gateway_subgraph_requests_total', {
        subgraph: 'user',
      }),
    ).toBe(before);
  });

  it("cannot open the user subgraph's breaker: 1000 operations of one caller leave the victim served", async () => {
    // The batch cap and batch concurrency raised out of the way: only the per-principal
    // in-flight limit stands between this caller and the user subgraph.
    const gateway = await platform.startGateway({
      MAX_BATCH_OPERATIONS: '1000',
      BATCH_CONCURRENCY: '1000',
      RATE_LIMIT_USER_CAPACITY: '100000',
    });
    const batch = () =>
      postGraphQL(
        gateway.url,
        Array.from({ length: 500 }, () => ({
          query: USER_BY_ID,
          variables: { id: randomUUID() },
        })),
        { authorization: `Bearer ${alice.token}` },
      );
    const failuresBefore = await counter(gateway.metricsUrl, 'gateway_subgraph_failures_total', {
      subgraph: 'user',
    });

    const { attack, answers } = await victimDuring(
      gateway.url,
      bob,
      Promise.all([batch(), batch()]),
    );

    expectVictimServed(answers, bob);
    expect(
      await counter(gateway.metricsUrl, 'gateway_subgraph_breaker_open', { subgraph: 'user' }),
    ).toBe(0);
    expect(
      await counter(gateway.metricsUrl, 'gateway_subgraph_failures_total', { subgraph: 'user' }),
    ).toBe(failuresBefore);
    // The attacker's own operations were answered or shed, never SUBGRAPH_UNAVAILABLE.
    for (const { status, body } of attack) {
      expect(status).toBe(200);
      const results = body as unknown as OperationResult[];
      expect(results).toHaveLength(500);
      for (const result of results) {
        const codes = (result.errors ?? []).map((error) => error.extensions?.code);
        expect(codes.every((code) => code === 'CONCURRENCY_LIMIT_EXCEEDED')).toBe(true);
        if (codes.length === 0) expect(result.data).toEqual({ user: null });
      }
    }
  }, 60_000);
});

describe('every request is charged', () => {
  const CAPACITY = 100;
  /** Anonymous buckets that hold 100 tokens and (nearly) never refill while the test runs. */
  const slowAnonymousBuckets = {
    RATE_LIMIT_ANONYMOUS_CAPACITY: String(CAPACITY),
    RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND: '0.01',
  };

  it('charges { __typename } a token: 300 anonymous ones in a row spend the budget', async () => {
    const { gateway, remaining } = await gatewayWithOwnBuckets(slowAnonymousBuckets);
    const answers: Array<{ status: number; remaining: string | null }> = [];
    for (let i = 0; i < 300; i += 1) {
      const { status, headers } = await graphqlWithHeaders(gateway.url, '{ __typename }');
      answers.push({ status, remaining: headers.get('ratelimit-remaining') });
    }

    // One token each: the budget left after the warm-up lasts exactly that many requests.
    expect(remaining).toBeGreaterThan(CAPACITY - 10);
    expect(answers[0]).toEqual({ status: 200, remaining: String(remaining - 1) });
    expect(answers[remaining - 1]).toEqual({ status: 200, remaining: '0' });
    expect(answers.slice(remaining).every((answer) => answer.status === 429)).toBe(true);
  }, 60_000);

  it('charges requests refused before pricing by their size: a syntax error, a validation error, the token limit', async () => {
    const { gateway, remaining } = await gatewayWithOwnBuckets(slowAnonymousBuckets);
    // A token per 16 KiB of the refused document, at least one: the 1 MB one costs 64.
    const refusals = [
      { query: '{ __typename ', code: 'GRAPHQL_PARSE_FAILED', cost: 1 },
      { query: '{ noSuchField }', code: 'GRAPHQL_VALIDATION_FAILED', cost: 1 },
      { query: HUGE_DOCUMENT, code: 'TOKEN_LIMIT_EXCEEDED', cost: 64 },
    ];
    let left = remaining;
    for (const { query, code, cost } of refusals) {
      const { status, headers, errors } = await graphqlWithHeaders(gateway.url, query);
      left -= cost;
      expect(status).toBe(400);
      expect(errors?.[0]?.extensions?.code).toBe(code);
      expect(headers.get('ratelimit-remaining')).toBe(String(left));
    }
  });

  it('ten parallel anonymous 520k-token documents are refused at the limit and leave the victim served', async () => {
    const url = platform.gatewayUrl;
    const { attack, answers } = await victimDuring(
      url,
      bob,
      Promise.all(Array.from({ length: 10 }, () => graphql(url, HUGE_DOCUMENT))),
    );

    expectVictimServed(answers, bob);
    for (const refused of attack) {
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]?.extensions).toEqual({
        code: 'TOKEN_LIMIT_EXCEEDED',
        limit: 5000,
      });
    }
  });
});

describe('client mistakes are 4xx with a precise code', () => {
  it('answers an x-api-key of 4,103 characters 401 UNAUTHENTICATED', async () => {
    const { status, body } = await postGraphQL(
      platform.gatewayUrl,
      { query: ME },
      { 'x-api-key': `pk_${'a'.repeat(4_100)}` },
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]).toEqual({
      message: expect.stringContaining('at most 256'),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('answers an APQ hash that is not the query SHA-256 400 PERSISTED_QUERY_HASH_MISMATCH', async () => {
    const query = '{ __typename }';
    const wrongHash = createHash('sha256').update('{ somethingElse }').digest('hex');
    const { status, body } = await postGraphQL(platform.gatewayUrl, {
      query,
      extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } },
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_HASH_MISMATCH' });
  });

  it('answers a subscription over HTTP 400 SUBSCRIPTION_OVER_HTTP, pointing at the WebSocket', async () => {
    const result = await graphql(
      platform.gatewayUrl,
      'subscription { notificationAdded { id } }',
      {},
      bob,
    );
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      {
        message: expect.stringContaining('graphql-transport-ws'),
        extensions: { code: 'SUBSCRIPTION_OVER_HTTP' },
      },
    ]);
  });

  it('gives anonymous callers no field suggestions, and signed-in ones still get them', async () => {
    const anonymous = await graphql(platform.gatewayUrl, '{ mee { id } }');
    expect(anonymous.status).toBe(400);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.errors?.[0]?.message).toBe('Cannot query field "mee" on type "Query".');

    const signedIn = await graphql(platform.gatewayUrl, '{ mee { id } }', {}, bob);
    expect(signedIn.errors?.[0]?.message).toMatch(/Did you mean "me"/);
  });
});
