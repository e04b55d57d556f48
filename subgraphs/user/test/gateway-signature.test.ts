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

const signed = (
  body = QUERY,
  { subgraph = 'user', secret = GATEWAY_SECRET, now = Date.now() } = {},
) => signIdentity(anonymous, { secret, subgraph, body, now });

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
    const response = await post(signed());
    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('refuses a request without a signature with 401 UNAUTHENTICATED', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.body).toEqual(refused);
  });

  it('refuses a request signed with another secret with 401 UNAUTHENTICATED', async () => {
    const response = await post(signed(QUERY, { secret: 'x'.repeat(32) }));
    expect(response.status).toBe(401);
    expect(response.body).toEqual(refused);
  });

  it('refuses a stale signature with 401 UNAUTHENTICATED', async () => {
    const response = await post(signed(QUERY, { now: Date.now() - 10 * 60_000 }));
    expect(response.status).toBe(401);
    expect(response.body).toEqual(refused);
  });

  describe('refuses a captured header set replayed', () => {
    const MUTATION = JSON.stringify({
      query: 'mutation { login(email: "a@example.com", password: "x") { token } }',
    });

    it('to this subgraph when it was signed for another one', async () => {
      const response = await post(signed(QUERY, { subgraph: 'data' }));
      expect(response).toEqual({ status: 401, body: refused });
    });

    it('with another body (another operation, or the same one a byte longer)', async () => {
      const captured = signed(QUERY);
      expect(await post(captured, MUTATION)).toEqual({ status: 401, body: refused });
      expect(await post(captured, `${QUERY} `)).toEqual({ status: 401, body: refused });
    });

    it('after the 30 s window, or from more than 5 s in the future', async () => {
      expect((await post(signed(QUERY, { now: Date.now() - 32_000 }))).status).toBe(401);
      expect((await post(signed(QUERY, { now: Date.now() + 7_000 }))).status).toBe(401);
      // Inside the window, the same bytes to the same subgraph are the request they were signed for.
      expect((await post(signed(QUERY, { now: Date.now() - 20_000 }))).status).toBe(200);
    });
  });

  it('answers a body that is not JSON with a 400 JSON error, not a 500', async () => {
    const response = await post(signed('{"query": '), '{"query": ');
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
