import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity } from '@platform/identity';
import { anonymous } from '@platform/testing';
import { GATEWAY_SECRET, startTestSubgraph, type TestSubgraph } from './harness.js';

const QUERY = JSON.stringify({ query: '{ __typename }' });

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph();
});

afterAll(async () => {
  await api?.stop();
});

async function post(headers: Record<string, string>, body = QUERY) {
  const response = await fetch(api.subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refused = {
  errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
};

describe('the gateway signature', () => {
  it('is accepted when valid', async () => {
    const response = await post(signIdentity(anonymous, GATEWAY_SECRET));
    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('refuses a request without a signature with 401 UNAUTHENTICATED', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.body).toEqual(refused);
  });

  it('refuses a request signed with another secret with 401 UNAUTHENTICATED', async () => {
    const response = await post(signIdentity(anonymous, 'x'.repeat(32)));
    expect(response.status).toBe(401);
    expect(response.body).toEqual(refused);
  });

  it('refuses a stale signature with 401 UNAUTHENTICATED', async () => {
    const response = await post(signIdentity(anonymous, GATEWAY_SECRET, Date.now() - 10 * 60_000));
    expect(response.status).toBe(401);
    expect(response.body).toEqual(refused);
  });

  it('answers a body that is not JSON with a 400 JSON error, not a 500', async () => {
    const response = await post(signIdentity(anonymous, GATEWAY_SECRET), '{"query": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })],
    });
  });

  it('leaves the health endpoints open and reports ready when PostgreSQL answers', async () => {
    const response = await fetch(`${api.origin}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });
});
