import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, metricValue, postGraphQL, recordingLogger } from '@platform/testing';
import type { RunningGateway } from '../src/index.js';
import { startResiliencePlatform, type ResiliencePlatform } from './resilience-platform.js';
import { bearer } from './test-platform.js';

/**
 * The gateway's HTTP limits against real subgraphs: batch size and concurrency, the in-flight
 * limit per principal in front of the breakers, and one failure log line per request.
 */
let platform: ResiliencePlatform;

beforeAll(async () => {
  platform = await startResiliencePlatform();
});

afterAll(async () => {
  await platform?.stop();
});

interface OperationResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

const batchOf = (count: number, query: string) => Array.from({ length: count }, () => ({ query }));

async function postBatch(gateway: RunningGateway, batch: object[], userId = 'u-1') {
  const { status, body } = await postGraphQL(gateway.url, batch, await bearer(userId));
  return { status, results: body as unknown as OperationResult[] };
}

describe('HTTP batches', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await platform.startGateway({ MAX_BATCH_OPERATIONS: '6', BATCH_CONCURRENCY: '2' });
  });

  afterAll(() => {
    platform.accounts.slowMs = 0;
  });

  it('refuses a batch over MAX_BATCH_OPERATIONS with 400 BATCH_LIMIT_EXCEEDED, calling no subgraph', async () => {
    platform.accounts.heal();
    const { status, results } = await postBatch(gateway, batchOf(7, '{ me { id } }'));
    expect(status).toBe(400);
    expect(results).toEqual({
      errors: [
        {
          message: expect.stringContaining('at most 6 operations; this one holds 7'),
          extensions: { code: 'BATCH_LIMIT_EXCEEDED', operations: 7, limit: 6 },
        },
      ],
    });
    expect(platform.accounts.calls).toBe(0);
  });

  it('runs BATCH_CONCURRENCY operations of a batch at a time and answers them all in order', async () => {
    platform.accounts.slowMs = 100;
    platform.accounts.slowInFlight.most = 0;
    const { status, results } = await postBatch(gateway, batchOf(6, '{ slow }'));
    expect(status).toBe(200);
    expect(results).toEqual(
      Array.from({ length: 6 }, () => ({
        data: { slow: 'finally' },
        extensions: expect.anything(),
      })),
    );
    expect(platform.accounts.slowInFlight.most).toBe(2);
  });
});

describe('in-flight fetches per principal', () => {
  const LIMIT = 2;
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await platform.startGateway({
      MAX_BATCH_OPERATIONS: '20',
      BATCH_CONCURRENCY: '20',
      SUBGRAPH_CONCURRENCY_PER_PRINCIPAL: String(LIMIT),
      SUBGRAPH_CONCURRENCY_WAIT_MS: '100',
      SUBGRAPH_BREAKER_FAILURES: '2',
    });
    platform.accounts.slowMs = 400;
    platform.accounts.slowInFlight.most = 0;
  });

  afterAll(() => {
    platform.accounts.slowMs = 0;
  });

  it("sheds one caller's excess with CONCURRENCY_LIMIT_EXCEEDED, never counted against the breaker, and serves another caller meanwhile", async () => {
    const attack = postBatch(gateway, batchOf(12, '{ slow }'), 'u-attacker');
    const victim = await postGraphQL(gateway.url, { query: '{ slow }' }, await bearer('u-victim'));
    const { status, results } = await attack;

    expect(victim.status).toBe(200);
    expect(victim.body).toEqual({ data: { slow: 'finally' }, extensions: expect.anything() });

    expect(status).toBe(200);
    const served = results.filter((result) => result.data?.slow === 'finally');
    const shed = results.filter((result) =>
      result.errors?.some((error) => error.extensions?.code === 'CONCURRENCY_LIMIT_EXCEEDED'),
    );
    expect(served).toHaveLength(LIMIT);
    expect(shed).toHaveLength(12 - LIMIT);
    expect(shed[0]).toEqual({
      data: { slow: null },
      errors: [
        {
          message: expect.stringContaining('Too many requests of yours are in flight'),
          path: ['slow'],
          extensions: { code: 'CONCURRENCY_LIMIT_EXCEEDED', subgraph: 'accounts', limit: LIMIT },
        },
      ],
      extensions: expect.anything(),
    });
    // The attacker's two slots and the victim's own one, never more.
    expect(platform.accounts.slowInFlight.most).toBe(LIMIT + 1);
    expect(
      await metricValue(gateway.metricsUrl, 'gateway_subgraph_fetches_shed_total', {
        subgraph: 'accounts',
      }),
    ).toBe(12 - LIMIT);
    expect(await metricValue(gateway.metricsUrl, 'gateway_subgraph_failures_total')).toBe(0);
    expect(
      await metricValue(gateway.metricsUrl, 'gateway_subgraph_breaker_open', {
        subgraph: 'accounts',
      }),
    ).toBe(0);
  });
});

describe('failed fetches in the log', () => {
  let gateway: RunningGateway;
  const { logger, records } = recordingLogger('gateway');

  beforeAll(async () => {
    gateway = await platform.startGateway(
      {
        MAX_BATCH_OPERATIONS: '10',
        SUBGRAPH_RETRIES: '0',
        SUBGRAPH_BREAKER_FAILURES: '3',
      },
      logger,
    );
    platform.reviews.failNext(Infinity, 500);
  });

  afterAll(() => {
    platform.reviews.heal();
  });

  it('writes one "subgraph unavailable" line for a batch of ten failed fetches, not one per fetch', async () => {
    const { status, results } = await postBatch(gateway, batchOf(10, '{ topReview }'));
    expect(status).toBe(200);
    for (const result of results) {
      expect(result.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    }
    // The line is written once the response is sent.
    const lines = () => records.filter((record) => record.message === 'subgraph unavailable');
    await eventually(() => (lines().length > 0 ? true : undefined));
    expect(lines()).toEqual([{ level: 'warn', message: 'subgraph unavailable' }]);
  });
});
