import { describe, expect, it } from '@jest/globals';
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { Registry } from 'prom-client';
import { anonymous, recordingLogger } from '@platform/testing';
import { memoryTokenBuckets } from '../rate-limit/bucket-store.js';
import { createRateLimiter } from '../rate-limit/limiter.js';
import { createRateLimitMetrics } from '../rate-limit/metrics.js';
import { rateLimitedError, rateLimitHeaders } from '../rate-limit/headers.js';
import { chargeRefusedRequests, MIN_CHARGE } from './refusal-charge.js';

const CAPACITY = 3;

/** A server whose refused requests are charged to a real limiter over memory buckets. */
function server() {
  const tier = { capacity: CAPACITY, refillPerSecond: 0.001 };
  const limiter = createRateLimiter({
    buckets: memoryTokenBuckets(),
    tiers: { anonymous: tier, user: tier, admin: tier },
    logger: recordingLogger().logger,
    metrics: createRateLimitMetrics(new Registry()),
    redisTimeoutMs: 1000,
    instanceCount: 1,
  });
  return new ApolloServer<object>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [
      chargeRefusedRequests<object>({
        charge: async (_context, tokens) => {
          const decision = await limiter.charge(anonymous, tokens, '10.0.0.1');
          return {
            headers: rateLimitHeaders(decision),
            refusal: decision.allowed ? undefined : rateLimitedError(decision),
          };
        },
      }),
    ],
  });
}

const errorsOf = (response: GraphQLResponse) =>
  response.body.kind === 'single' ? response.body.singleResult.errors : undefined;

describe('chargeRefusedRequests', () => {
  it('charges a syntax error and a validation error one token each, with RateLimit headers', async () => {
    const apollo = server();
    await apollo.start();
    try {
      const syntax = await apollo.executeOperation({ query: '{ hello ' });
      expect(errorsOf(syntax)?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(syntax.http.headers.get('ratelimit-remaining')).toBe(String(CAPACITY - MIN_CHARGE));

      const invalid = await apollo.executeOperation({ query: '{ nope }' });
      expect(errorsOf(invalid)?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(invalid.http.headers.get('ratelimit-remaining')).toBe(
        String(CAPACITY - 2 * MIN_CHARGE),
      );

      // A valid operation is left to the rate limiter's own plugin.
      const valid = await apollo.executeOperation({ query: '{ hello }' });
      expect(errorsOf(valid)).toBeUndefined();
      expect(valid.http.headers.get('ratelimit-remaining')).toBeUndefined();
    } finally {
      await apollo.stop();
    }
  });

  it('answers 429 RATE_LIMITED instead of the syntax error once the budget is spent', async () => {
    const apollo = server();
    await apollo.start();
    try {
      for (let i = 0; i < CAPACITY; i += 1) await apollo.executeOperation({ query: '{' });
      const refused = await apollo.executeOperation({ query: '{' });
      expect(refused.http.status).toBe(429);
      expect(refused.http.headers.get('retry-after')).toBeDefined();
      expect(errorsOf(refused)).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'RATE_LIMITED', cost: MIN_CHARGE }),
        }),
      ]);
      expect(errorsOf(refused)?.[0]?.extensions).not.toHaveProperty('http');
    } finally {
      await apollo.stop();
    }
  });
});
