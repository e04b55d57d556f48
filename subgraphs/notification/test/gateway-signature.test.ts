import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity } from '@platform/identity';
import { userPrincipal } from '@platform/testing';
import { GATEWAY_SECRET, newUserId, startTestSubgraph, type TestSubgraph } from './harness.js';

const QUERY = JSON.stringify({ query: '{ notificationsSince { id } }' });

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph({ consume: false });
});

afterAll(async () => {
  await api?.stop();
});

const signed = (body = QUERY, { secret = GATEWAY_SECRET, subgraph = 'notification' } = {}) =>
  signIdentity(userPrincipal(newUserId()), { secret, subgraph, body });

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
    expect(response).toEqual({ status: 200, body: { data: { notificationsSince: [] } } });
  });

  it('refuses headers signed for another subgraph with 401 UNAUTHENTICATED', async () => {
    const response = await post(signed(QUERY, { subgraph: 'user' }));
    expect(response).toEqual({ status: 401, body: refused });
  });

  it('refuses an unsigned request with 401 UNAUTHENTICATED', async () => {
    const response = await post({ 'x-user-id': newUserId() });
    expect(response).toEqual({ status: 401, body: refused });
  });

  it('refuses a request signed with another secret with 401 UNAUTHENTICATED', async () => {
    const response = await post(signed(QUERY, { secret: 'x'.repeat(32) }));
    expect(response).toEqual({ status: 401, body: refused });
  });

  it('answers a body that is not JSON with a 400 JSON error, not a 500', async () => {
    const response = await post(signed('{"q'), '{"q');
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
