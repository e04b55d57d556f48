import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, postGraphQL as post, type GraphQLResult } from '@platform/testing';
import type { RunningGateway } from '../src/index.js';
import { startResiliencePlatform, type ResiliencePlatform } from './resilience-platform.js';
import { bearer } from './test-platform.js';

/** Far longer than any answer here takes, so a hung fetch fails the test rather than jest. */
const ANSWER_BOUND_MS = 5_000;

const ACROSS_BOTH = '{ me { id name reviewCount } topReview }';

let platform: ResiliencePlatform;

beforeAll(async () => {
  platform = await startResiliencePlatform();
});

afterAll(async () => {
  await platform?.stop();
});

async function query(gateway: RunningGateway, body: object) {
  const started = Date.now();
  const result = await post(gateway.url, body, await bearer('u-1'));
  return { ...result, elapsedMs: Date.now() - started };
}

const errorsOf = (result: GraphQLResult) => result.body.errors ?? [];

const unavailable = (subgraph: string, path: (string | number)[]) =>
  expect.objectContaining({
    path,
    message: expect.stringContaining(`"${subgraph}"`),
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph },
  });

async function metricsOf(gateway: RunningGateway): Promise<string> {
  return (await fetch(gateway.metricsUrl)).text();
}

describe('a query across two subgraphs when one of them is down', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await platform.startGateway({
      SUBGRAPH_TIMEOUT_MS: '1000',
      SUBGRAPH_BREAKER_FAILURES: '2',
      SUBGRAPH_BREAKER_HALF_OPEN_MS: '300',
    });
    const healthy = await query(gateway, { query: ACROSS_BOTH });
    expect(healthy.body).toEqual({
      data: { me: { id: 'u-1', name: 'Ada', reviewCount: 3 }, topReview: 'five stars' },
      extensions: { cost: expect.any(Object) },
    });
    await platform.reviews.stop();
  });

  afterAll(async () => {
    await platform.reviews.start(); // in case a test failed before starting it again
  });

  it("answers 200 with the other subgraph's data and SUBGRAPH_UNAVAILABLE at each missing field, within the timeout", async () => {
    const result = await query(gateway, { query: ACROSS_BOTH });

    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({
      me: { id: 'u-1', name: 'Ada', reviewCount: null },
      topReview: null,
    });
    expect(errorsOf(result)).toHaveLength(2);
    expect(errorsOf(result)).toEqual(
      expect.arrayContaining([
        unavailable('reviews', ['me', 'reviewCount']),
        unavailable('reviews', ['topReview']),
      ]),
    );
    expect(JSON.stringify(result.body)).not.toContain('127.0.0.1');
    expect(result.elapsedMs).toBeLessThan(1000 + ANSWER_BOUND_MS);
  });

  it('counts the failures and shows the open breaker on /metrics', async () => {
    await query(gateway, { query: ACROSS_BOTH }); // enough failures in a row to open the breaker

    const metrics = await metricsOf(gateway);
    expect(metrics).toMatch(
      /^gateway_subgraph_failures_total\{subgraph="reviews",reason="network"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^gateway_subgraph_breaker_open\{subgraph="reviews"\} 1$/m);
    expect(metrics).toMatch(/^gateway_subgraph_breaker_open\{subgraph="accounts"\} 0$/m);
  });

  it('answers fully again once the subgraph is back on the same address, without a gateway restart', async () => {
    await platform.reviews.start();

    const result = await eventually(async () => {
      const answer = await query(gateway, { query: ACROSS_BOTH });
      expect(answer.body.errors).toBeUndefined();
      return answer;
    });
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({
      me: { id: 'u-1', name: 'Ada', reviewCount: 3 },
      topReview: 'five stars',
    });
    expect(await metricsOf(gateway)).toMatch(
      /^gateway_subgraph_breaker_open\{subgraph="reviews"\} 0$/m,
    );
  });
});

describe('a subgraph slower than SUBGRAPH_TIMEOUT_MS', () => {
  const SLOW_MS = 2000;
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await platform.startGateway({ SUBGRAPH_TIMEOUT_MS: '300' });
    platform.accounts.slowMs = SLOW_MS;
  });

  afterAll(() => {
    platform.accounts.slowMs = 0;
  });

  it('is answered SUBGRAPH_UNAVAILABLE at the timeout, before the subgraph would have answered', async () => {
    const result = await query(gateway, { query: '{ slow topReview }' });

    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ slow: null, topReview: 'five stars' });
    expect(errorsOf(result)).toEqual([unavailable('accounts', ['slow'])]);
    expect(result.elapsedMs).toBeLessThan(SLOW_MS);
    expect(await metricsOf(gateway)).toMatch(
      /^gateway_subgraph_failures_total\{subgraph="accounts",reason="timeout"\} 1$/m,
    );
  });
});

describe('retries', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await platform.startGateway({
      SUBGRAPH_RETRIES: '2',
      SUBGRAPH_BREAKER_FAILURES: '100',
    });
  });

  afterAll(() => {
    platform.accounts.heal();
    platform.reviews.heal();
  });

  it('retries a query the subgraph answered 503, so the client sees its data', async () => {
    platform.reviews.heal();
    platform.reviews.failNext(1, 503);

    const result = await query(gateway, { query: '{ topReview }' });

    expect(result.body).toEqual({
      data: { topReview: 'five stars' },
      extensions: { cost: expect.any(Object) },
    });
    expect(platform.reviews.calls).toBe(2);
  });

  it('gives up on a query after SUBGRAPH_RETRIES retries', async () => {
    platform.reviews.heal();
    platform.reviews.failNext(Infinity, 503);

    const result = await query(gateway, { query: '{ topReview }' });

    expect(result.status).toBe(200);
    expect(errorsOf(result)).toEqual([unavailable('reviews', ['topReview'])]);
    expect(platform.reviews.calls).toBe(3);
  });

  it('sends a mutation once, even when the subgraph answers 503', async () => {
    platform.accounts.heal();
    platform.accounts.failNext(Infinity, 503);
    const renamesBefore = platform.renames();

    const result = await query(gateway, {
      query: 'mutation Rename($name: String!) { rename(name: $name) }',
      variables: { name: 'Grace' },
    });

    expect(result.status).toBe(200);
    expect(result.body.data).toBeNull();
    expect(errorsOf(result)).toEqual([unavailable('accounts', ['rename'])]);
    expect(platform.accounts.calls).toBe(1);
    expect(platform.renames()).toBe(renamesBefore);
  });
});

describe('the circuit breaker', () => {
  const FAILURES = 3;
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await platform.startGateway({
      SUBGRAPH_RETRIES: '0',
      SUBGRAPH_BREAKER_FAILURES: String(FAILURES),
      SUBGRAPH_BREAKER_HALF_OPEN_MS: '500',
    });
    platform.reviews.heal();
    platform.reviews.failNext(Infinity, 503);
  });

  afterAll(() => {
    platform.reviews.heal();
  });

  it(`opens after ${FAILURES} failures in a row, then fails fast without calling the subgraph`, async () => {
    for (let i = 0; i < FAILURES; i += 1) {
      const result = await query(gateway, { query: '{ topReview }' });
      expect(errorsOf(result)).toEqual([unavailable('reviews', ['topReview'])]);
    }
    expect(platform.reviews.calls).toBe(FAILURES);

    for (let i = 0; i < 3; i += 1) {
      const result = await query(gateway, { query: '{ topReview me { name } }' });
      expect(result.status).toBe(200);
      expect(result.body.data).toEqual({ topReview: null, me: { name: 'Ada' } });
      expect(errorsOf(result)).toEqual([unavailable('reviews', ['topReview'])]);
    }
    expect(platform.reviews.calls).toBe(FAILURES);

    const metrics = await metricsOf(gateway);
    expect(metrics).toMatch(/^gateway_subgraph_breaker_open\{subgraph="reviews"\} 1$/m);
    expect(metrics).toMatch(
      /^gateway_subgraph_failures_total\{subgraph="reviews",reason="breaker_open"\} 3$/m,
    );
    expect(metrics).toMatch(
      /^gateway_subgraph_failures_total\{subgraph="reviews",reason="bad_status"\} 3$/m,
    );
  });

  it('closes after the half-open delay once the subgraph answers again', async () => {
    platform.reviews.heal();

    await eventually(async () => {
      const result = await query(gateway, { query: '{ topReview }' });
      expect(result.body).toEqual({
        data: { topReview: 'five stars' },
        extensions: { cost: expect.any(Object) },
      });
      return result;
    });
    expect(platform.reviews.calls).toBe(1);
    expect(await metricsOf(gateway)).toMatch(
      /^gateway_subgraph_breaker_open\{subgraph="reviews"\} 0$/m,
    );
  });
});
