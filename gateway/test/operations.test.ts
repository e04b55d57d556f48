import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@platform/logger';
import { errorCodes, postGraphQL as post } from '@platform/testing';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../src/index.js';
import {
  API_KEYS,
  GATEWAY_SECRET,
  JWT_SECRET,
  bearer,
  startTestPlatform,
  type TestPlatform,
} from './test-platform.js';

let platform: TestPlatform;
let base: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  base = new URL('/', platform.gateway.url).href;
});

afterAll(async () => {
  await platform.stop();
});

describe('operational endpoints', () => {
  it('reports live and, with a supergraph loaded, ready', async () => {
    const live = await fetch(new URL('/health/live', base));
    expect(live.status).toBe(200);
    const ready = await fetch(new URL('/health/ready', base));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('counts requests by outcome and subgraph requests by subgraph on /metrics', async () => {
    await post(platform.gateway.url, { query: '{ me { id seenBy } }' }, await bearer());
    await post(platform.gateway.url, { query: '{ me { id } }' });

    const metrics = await (await fetch(platform.gateway.metricsUrl)).text();
    expect(metrics).toMatch(/^gateway_subgraph_requests_total\{subgraph="user"\} [1-9]/m);
    expect(metrics).toMatch(/^gateway_subgraph_requests_total\{subgraph="data"\} [1-9]/m);
    expect(metrics).toMatch(
      /^gateway_http_requests_total\{outcome="success",status="200"\} [1-9]/m,
    );
    expect(metrics).toMatch(
      /^gateway_http_requests_total\{outcome="rejected",status="401"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^gateway_graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/m);
  });

  it('gives a request without an id a fresh one and replaces an unsafe one', async () => {
    const fresh = await post(platform.gateway.url, { query: '{ __typename }' });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const unsafe = await post(
      platform.gateway.url,
      { query: '{ __typename }' },
      { 'x-request-id': 'a b\tc' },
    );
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('when the user subgraph is down', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const config = loadGatewayConfig({
      JWT_SECRET,
      GATEWAY_SECRET,
      SUPERGRAPH_PATH: platform.supergraphPath,
    });
    gateway = await startGateway(
      { ...config, PORT: 0 },
      createLogger('gateway-test', { level: 'silent' }),
      { subgraphUrls: { user: 'http://127.0.0.1:9/graphql' }, consumeCacheEvents: false },
    );
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it('answers an API key with 503 SERVICE_UNAVAILABLE, not a 500 or a 401', async () => {
    const result = await post(
      gateway.url,
      { query: '{ caller }' },
      { 'x-api-key': API_KEYS.readWrite },
    );
    expect(result.status).toBe(503);
    expect(errorCodes(result.body)).toEqual(['SERVICE_UNAVAILABLE']);
  });

  it('answers the failed fetch with SUBGRAPH_UNAVAILABLE at the field, without revealing the subgraph URL', async () => {
    const result = await post(gateway.url, { query: '{ me { id } }' }, await bearer());
    expect(result.status).toBe(200);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ['me'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'user' },
      }),
    ]);
    expect(JSON.stringify(result.body)).not.toContain('127.0.0.1');
  });
});
