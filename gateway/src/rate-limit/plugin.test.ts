import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ApolloServer, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { Registry } from 'prom-client';
import { forbidden } from '@platform/errors';
import type { Principal } from '@platform/identity';
import { anonymous, errorCodes, recordingLogger, userPrincipal } from '@platform/testing';
import { memoryTokenBuckets } from './bucket-store.js';
import { createRateLimiter } from './limiter.js';
import { createRateLimitMetrics } from './metrics.js';
import { rateLimitPlugin } from './plugin.js';

interface TestContext {
  principal: Principal;
  clientIp: string | undefined;
  /** Set by the test's cost step. */
  cost?: number;
  exempt?: boolean;
}

/** Stands for the cost module: every root field costs 3, recorded before any await. */
const costStep: ApolloServerPlugin<TestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation }) {
        contextValue.cost = 3 * (operation?.selectionSet.selections.length ?? 1);
      },
    };
  },
};

/** Stands for authorization: selecting `denied` is refused with 403. */
const authorizationStep: ApolloServerPlugin<TestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        const fields = operation?.selectionSet.selections ?? [];
        if (fields.some((field) => field.kind === 'Field' && field.name.value === 'denied')) {
          throw forbidden('Not allowed');
        }
      },
    };
  },
};

let apollo: ApolloServer<TestContext>;

beforeEach(async () => {
  const limiter = createRateLimiter({
    buckets: memoryTokenBuckets(),
    // Refill of 1 token per 1000 s: nothing refills while a test runs.
    tiers: {
      anonymous: { capacity: 10, refillPerSecond: 0.001 },
      user: { capacity: 100, refillPerSecond: 0.001 },
      admin: { capacity: 100, refillPerSecond: 0.001 },
    },
    logger: recordingLogger('rate-limit-plugin-unit-test').logger,
    metrics: createRateLimitMetrics(new Registry()),
    redisTimeoutMs: 50,
    instanceCount: 1,
  });
  apollo = new ApolloServer<TestContext>({
    typeDefs: 'type Query { a: Int, b: Int, c: Int, d: Int, denied: Int, free: Int }',
    resolvers: {
      Query: { a: () => 1, b: () => 2, c: () => 3, d: () => 4, denied: () => 0, free: () => 5 },
    },
    plugins: [
      authorizationStep,
      costStep,
      rateLimitPlugin<TestContext>({
        limiter,
        getCost: (context) => context.cost ?? 1,
        getPrincipal: (context) => context.principal,
        getClientIp: (context) => context.clientIp,
        isExempt: (context) => context.exempt === true,
      }),
    ],
  });
  await apollo.start();
});

afterEach(() => apollo.stop());

/** Runs `query` for a caller (anonymous from `ip`, unless a user is given). */
async function run(query: string, caller: { ip?: string; principal?: Principal } = {}) {
  const response: GraphQLResponse = await apollo.executeOperation(
    { query },
    { contextValue: { principal: caller.principal ?? anonymous, clientIp: caller.ip } },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const header = (name: string) => response.http.headers.get(name) ?? null;
  return { status: response.http.status ?? 200, result: response.body.singleResult, header };
}

describe('rate limit plugin on memory buckets', () => {
  it("charges each operation's cost and puts the RateLimit headers on the response", async () => {
    const ip = '198.51.100.1';
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await run('{ a }', { ip }));
    expect(responses.map((r) => [r.status, r.header('ratelimit-remaining')])).toEqual([
      [200, '7'],
      [200, '4'],
      [200, '1'],
    ]);
    expect(responses[0]!.result).toEqual({ data: { a: 1 } });
    expect(responses[0]!.header('ratelimit-limit')).toBe('10');
    expect(responses[0]!.header('ratelimit-reset')).toBe('3000');
    expect(responses[0]!.header('retry-after')).toBeNull();
  });

  it('refuses with 429 RATE_LIMITED, Retry-After and the headers once the budget is spent', async () => {
    const ip = '198.51.100.2';
    for (let i = 0; i < 3; i++) await run('{ a }', { ip });
    const refused = await run('{ a }', { ip });
    expect(refused.status).toBe(429);
    expect(refused.result.data).toBeUndefined();
    expect(errorCodes(refused.result)).toEqual(['RATE_LIMITED']);
    expect(refused.result.errors![0]!.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 2000,
      cost: 3,
      limit: 10,
    });
    expect(refused.result.errors![0]!.message).toMatch(/retry in 2000 seconds/);
    // 2 tokens missing at 0.001 per second.
    expect(refused.header('retry-after')).toBe('2000');
    expect(refused.header('ratelimit-remaining')).toBe('1');
    expect(refused.header('ratelimit-limit')).toBe('10');
  });

  it('refuses an operation costing more than the capacity without a Retry-After', async () => {
    const refused = await run('{ a b c d }', { ip: '198.51.100.3' });
    expect(refused.status).toBe(429);
    expect(refused.result.errors![0]!.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: null,
      cost: 12,
      limit: 10,
    });
    expect(refused.header('retry-after')).toBeNull();
    expect(refused.header('ratelimit-remaining')).toBe('10');
  });

  it("charges a user's own budget by the user tier, not their IP's", async () => {
    const ip = '198.51.100.4';
    const user = await run('{ a b }', { ip, principal: userPrincipal('u-plugin') });
    expect([user.header('ratelimit-limit'), user.header('ratelimit-remaining')]).toEqual([
      '100',
      '94',
    ]);
    expect((await run('{ a }', { ip })).header('ratelimit-remaining')).toBe('7');
  });

  it('still reports the charge when another step refuses the operation', async () => {
    const response = await run('{ denied }', { ip: '198.51.100.5' });
    expect(response.status).toBe(403);
    expect(errorCodes(response.result)).toEqual(['FORBIDDEN']);
    expect(response.header('ratelimit-remaining')).toBe('7');
  });

  it('neither charges nor adds headers to an exempt operation', async () => {
    const exempt = await apollo.executeOperation(
      { query: '{ free }' },
      { contextValue: { principal: anonymous, clientIp: '198.51.100.6', exempt: true } },
    );
    expect(exempt.http.headers.get('ratelimit-limit')).toBeUndefined();
    expect((await run('{ a }', { ip: '198.51.100.6' })).header('ratelimit-remaining')).toBe('7');
  });
});
