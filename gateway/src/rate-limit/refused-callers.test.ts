import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { Registry } from 'prom-client';
import { anonymous, recordingLogger } from '@platform/testing';
import { memoryTokenBuckets } from './bucket-store.js';
import { createRateLimiter } from './limiter.js';
import { createRateLimitMetrics } from './metrics.js';
import { refusedCallers } from './refused-callers.js';

const tier = { capacity: 2, refillPerSecond: 0.5 };
const refused = refusedCallers(
  createRateLimiter({
    buckets: memoryTokenBuckets(),
    tiers: { anonymous: tier, user: tier, admin: tier },
    logger: recordingLogger().logger,
    metrics: createRateLimitMetrics(new Registry()),
    redisTimeoutMs: 1000,
    instanceCount: 1,
  }),
  { principalOf: async () => anonymous, apiKeysCapped: false },
);

/** Counts the bodies it reads: the early refusal must answer before any is read. */
let bodiesRead = 0;
const app = express();
app.post('/graphql', refused.refuseEarly, express.text({ type: '*/*' }), async (req, res) => {
  bodiesRead += 1;
  const decision = await refused.limiter.charge(anonymous, 2, req.ip);
  res.status(decision.allowed ? 200 : 429).json({ allowed: decision.allowed });
});
let url: string;
let close: () => void;

beforeAll(async () => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  close = () => server.close();
});
afterAll(() => close());

const post = () => fetch(url, { method: 'POST', body: 'x'.repeat(20_000) });

describe('refusedCallers', () => {
  it('answers a refused caller 429 before reading its body until its Retry-After, then lets it through', async () => {
    expect((await post()).status).toBe(200); // the bucket's 2 tokens
    expect((await post()).status).toBe(429); // refused by the charge, after its body was read
    expect(bodiesRead).toBe(2);

    const early = await post();
    expect(early.status).toBe(429);
    // Its 20 kB body was not worth receiving: the socket is closed rather than drained.
    expect(early.headers.get('connection')).toBe('close');
    expect(early.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await early.json()).toEqual({
      errors: [
        {
          message: expect.stringContaining('Rate limit exceeded'),
          extensions: expect.objectContaining({ code: 'RATE_LIMITED', cost: 2 }),
        },
      ],
    });
    expect(bodiesRead).toBe(2);

    // 2 tokens refill in 4 s; the refusal said to retry then.
    await new Promise((resolve) =>
      setTimeout(resolve, Number(early.headers.get('retry-after')) * 1000 + 100),
    );
    expect((await post()).status).toBe(200);
    expect(bodiesRead).toBe(3);
  }, 15_000);
});
