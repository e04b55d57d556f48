import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { batchConcurrency, batchLimit, batchSlots, type BatchContext } from './batch.js';

const MAX_OPERATIONS = 4;
const CONCURRENCY = 2;

/** A resolver that takes a moment and records how many of it run at once. */
const inFlight = { now: 0, most: 0 };
const typeDefs = 'type Query { slow: String }';
const resolvers = {
  Query: {
    slow: async () => {
      inFlight.now += 1;
      inFlight.most = Math.max(inFlight.most, inFlight.now);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight.now -= 1;
      return 'done';
    },
  },
};

let apollo: ApolloServer<BatchContext>;
let server: http.Server;
let url: string;

beforeAll(async () => {
  apollo = new ApolloServer<BatchContext>({
    typeDefs,
    resolvers,
    allowBatchedHttpRequests: true,
    plugins: [batchConcurrency()],
  });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json(),
    batchLimit(MAX_OPERATIONS),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        batchSlots: Array.isArray(req.body) ? batchSlots(CONCURRENCY) : undefined,
      }),
    }),
  );
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await apollo.stop();
  await new Promise((resolve) => server.close(resolve));
});

const post = async (body: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

const batchOf = (count: number) => Array.from({ length: count }, () => ({ query: '{ slow }' }));

describe('batchLimit', () => {
  it('refuses a batch over the limit with 400 BATCH_LIMIT_EXCEEDED before anything runs', async () => {
    inFlight.most = 0;
    const { status, body } = await post(batchOf(MAX_OPERATIONS + 1));
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: `A batch may hold at most ${MAX_OPERATIONS} operations; this one holds ${MAX_OPERATIONS + 1}: send fewer, or several requests`,
          extensions: {
            code: 'BATCH_LIMIT_EXCEEDED',
            operations: MAX_OPERATIONS + 1,
            limit: MAX_OPERATIONS,
          },
        },
      ],
    });
    expect(inFlight.most).toBe(0);
  });

  it('lets single operations and batches within the limit through', async () => {
    expect(await post({ query: '{ slow }' })).toEqual({
      status: 200,
      body: { data: { slow: 'done' } },
    });
    const { status, body } = await post(batchOf(MAX_OPERATIONS));
    expect(status).toBe(200);
    expect(body).toEqual(batchOf(MAX_OPERATIONS).map(() => ({ data: { slow: 'done' } })));
  });
});

describe('batchConcurrency', () => {
  it('runs the operations of one batch at most `concurrency` at a time', async () => {
    inFlight.most = 0;
    await post(batchOf(MAX_OPERATIONS));
    expect(inFlight.most).toBe(CONCURRENCY);
  });

  it('gives the slot back when an operation fails, so the batch still completes', async () => {
    const { status, body } = await post([
      { query: '{ nope }' },
      { query: '{' },
      { query: '{ slow }' },
      { query: '{ slow }' },
    ]);
    expect(status).toBe(400);
    expect((body as unknown[]).slice(2)).toEqual([
      { data: { slow: 'done' } },
      { data: { slow: 'done' } },
    ]);
  });
});
