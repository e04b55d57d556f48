import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestPlatform, type TestPlatform } from './test-platform.js';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  platform = await startTestPlatform({
    gatewayConfig: { CORS_ORIGINS: [ALLOWED, 'http://localhost:5173'] },
  });
  url = platform.gateway.url;
}, 60_000);

afterAll(async () => {
  await platform?.stop();
});

const preflight = (origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization,x-api-key',
    },
  });

describe('CORS on /graphql', () => {
  it("answers an allowed origin's preflight with the methods and credential headers it may send", async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowedHeaders = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight'])
      expect(allowedHeaders).toContain(header);
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it("serves an allowed origin's request and exposes x-request-id, RateLimit-* and Retry-After", async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', ...(await bearer()) },
      body: JSON.stringify({ query: '{ echo(text: "cors") }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { echo: 'cors' } });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('vary')).toMatch(/origin/i);
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const header of [
      'x-request-id',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'retry-after',
    ])
      expect(exposed).toContain(header);
    expect(response.headers.get('ratelimit-remaining')).not.toBeNull();
  });

  it('gives a disallowed origin no CORS headers, on the preflight and on the request', async () => {
    const answers = [
      await preflight(OTHER),
      await fetch(url, {
        method: 'POST',
        headers: { origin: OTHER, 'content-type': 'application/json', ...(await bearer()) },
        body: JSON.stringify({ query: '{ echo(text: "x") }' }),
      }),
    ];
    for (const response of answers) {
      const corsHeaders = [...response.headers.keys()].filter((name) =>
        name.startsWith('access-control-'),
      );
      expect(corsHeaders).toEqual([]);
    }
  });

  it('tells a GET without a preflight header exactly which header to send', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: ALLOWED, accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('apollo-require-preflight');
  });

  it('serves a GET query that sends apollo-require-preflight, as urql does when configured so', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ echo(text: "get") }')}`, {
      headers: {
        origin: ALLOWED,
        accept: 'application/graphql-response+json, application/json',
        'apollo-require-preflight': 'true',
        ...(await bearer()),
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { echo: 'get' } });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });
});
