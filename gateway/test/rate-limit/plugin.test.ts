import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { forbidden } from '@platform/errors';
import type { Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import {
  anonymous,
  postGraphQL,
  stackEndpoints,
  uniqueName,
  userPrincipal,
} from '@platform/testing';
import { createRateLimitMetrics } from '../../src/rate-limit/metrics.js';
import { createRateLimiter } from '../../src/rate-limit/limiter.js';
import { redisTokenBucket } from '../../src/rate-limit/token-bucket-script.js';
import { rateLimitPlugin } from '../../src/rate-limit/plugin.js';
import { serveApollo, type ServedApollo } from '../serve-apollo.js';

interface TestContext {
  principal: Principal;
  clientIp: string | undefined;
  /** Set by the test's cost step. */
  cost?: number;
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

/** Stands for authorization: selecting `denied` is refused with 403, before the charge ends. */
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

const prefix = `${uniqueName('ratelimit_plugin')}:`;
let redis: Redis;
let apollo: ApolloServer<TestContext>;
let served: ServedApollo;
let url: string;

beforeAll(async () => {
  redis = new Redis(stackEndpoints().redis.url);
  await redis.ping();
  const limiter = createRateLimiter({
    buckets: redisTokenBucket(redis),
    // Refill of 1 token per 1000 s: nothing refills while the test runs.
    tiers: {
      anonymous: { capacity: 10, refillPerSecond: 0.001 },
      user: { capacity: 100, refillPerSecond: 0.001 },
      admin: { capacity: 100, refillPerSecond: 0.001 },
    },
    logger: createLogger('rate-limit-plugin-test', { level: 'silent' }),
    metrics: createRateLimitMetrics(new Registry()),
    keyPrefix: prefix,
    redisTimeoutMs: 2000,
    instanceCount: 1,
  });
  apollo = new ApolloServer<TestContext>({
    typeDefs: 'type Query { a: Int, b: Int, c: Int, d: Int, denied: Int }',
    resolvers: { Query: { a: () => 1, b: () => 2, c: () => 3, d: () => 4, denied: () => 0 } },
    plugins: [
      authorizationStep,
      costStep,
      rateLimitPlugin<TestContext>({
        limiter,
        getCost: (context) => context.cost ?? 1,
        getPrincipal: (context) => context.principal,
        getClientIp: (context) => context.clientIp,
      }),
    ],
  });
  served = await serveApollo(apollo, async ({ req }): Promise<TestContext> => {
    const userId = req.headers['x-test-user'];
    return {
      principal:
        typeof userId === 'string' ? userPrincipal(userId, { scopes: ['read'] }) : anonymous,
      // Every request comes from 127.0.0.1 here: a header picks the anonymous caller's IP.
      clientIp: String(req.headers['x-test-ip'] ?? req.ip),
    };
  });
  url = served.url;
});

afterAll(async () => {
  await served.stop();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

async function post(query: string, headers: Record<string, string> = {}) {
  const response = await postGraphQL(url, { query }, headers);
  const header = (name: string) => response.headers.get(name);
  return { status: response.status, body: response.body, header };
}

describe('rate limit plugin over HTTP', () => {
  it('puts RateLimit-* headers on allowed responses and refuses with 429 once the budget is spent', async () => {
    const ip = { 'x-test-ip': '198.51.100.1' };
    const allowed = [];
    for (let i = 0; i < 3; i++) allowed.push(await post('{ a }', ip));
    expect(allowed.map((r) => [r.status, r.header('ratelimit-remaining')])).toEqual([
      [200, '7'],
      [200, '4'],
      [200, '1'],
    ]);
    expect(allowed[0]!.body).toEqual({ data: { a: 1 } });
    expect(allowed[0]!.header('ratelimit-limit')).toBe('10');
    expect(allowed[0]!.header('ratelimit-reset')).toBe('3000');
    expect(allowed[0]!.header('retry-after')).toBeNull();

    const refused = await post('{ a }', ip);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    const [error] = refused.body.errors!;
    // 2 tokens missing at 0.001 per second.
    expect(refused.header('retry-after')).toBe('2000');
    expect(error!.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 2000,
      cost: 3,
      limit: 10,
    });
    expect(error!.message).toMatch(/retry in 2000 seconds/);
    expect(refused.header('ratelimit-remaining')).toBe('1');
    expect(refused.header('ratelimit-limit')).toBe('10');
  });

  it('refuses an operation costing more than the capacity with a message saying why', async () => {
    const refused = await post('{ a b c d }', { 'x-test-ip': '198.51.100.2' });
    expect(refused.status).toBe(429);
    expect(refused.header('retry-after')).toBeNull();
    expect(refused.header('ratelimit-remaining')).toBe('10');
    const [error] = refused.body.errors!;
    expect(error!.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: null,
      cost: 12,
      limit: 10,
    });
    expect(error!.message).toMatch(/costs 12, more than the 10 tokens .* can never pass/);
  });

  it("charges the caller's own budget: a user is limited by the user tier, not the IP", async () => {
    const response = await post('{ a b }', {
      'x-test-user': 'u-plugin',
      'x-test-ip': '198.51.100.1',
    });
    expect(response.status).toBe(200);
    expect([response.header('ratelimit-limit'), response.header('ratelimit-remaining')]).toEqual([
      '100',
      '94',
    ]);
  });

  it('still reports the headers when another step refuses the operation', async () => {
    const response = await post('{ denied }', { 'x-test-ip': '198.51.100.3' });
    expect(response.status).toBe(403);
    expect(response.body.errors![0]!.extensions?.code).toBe('FORBIDDEN');
    expect(response.header('ratelimit-remaining')).toBe('7');
  });

  it('adds no headers to a request refused before its operation is resolved', async () => {
    const response = await post('{ nope }', { 'x-test-ip': '198.51.100.4' });
    expect(response.status).toBe(400);
    expect(response.header('ratelimit-limit')).toBeNull();
  });
});
