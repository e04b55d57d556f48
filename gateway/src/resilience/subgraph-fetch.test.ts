import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@platform/testing';
import { SubgraphAttemptError } from './subgraph-failure.js';
import { fetchSubgraphOnce, responseOf } from './subgraph-fetch.js';

/** A real HTTP server answering each path its own way. */
let server: http.Server;
let base: string;
const stalled: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"a":1}}');
    else if (req.url === '/bad-request') res.writeHead(400).end('{"errors":[]}');
    else if (req.url === '/overloaded') res.writeHead(503).end('busy');
    else if (req.url === '/stall-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      stalled.push(res);
    } else stalled.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of stalled) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
const live = () => new AbortController().signal;

async function attemptFailure(url: string, signal: AbortSignal) {
  const error = await fetchSubgraphOnce(url, post, signal).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(SubgraphAttemptError);
  return error as SubgraphAttemptError;
}

describe('fetchSubgraphOnce', () => {
  it('returns the whole answer, status and headers kept', async () => {
    const response = responseOf(await fetchSubgraphOnce(`${base}/ok`, post, live()));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ data: { a: 1 } });
  });

  it('returns a 4xx: the request was wrong, not the subgraph', async () => {
    const response = responseOf(await fetchSubgraphOnce(`${base}/bad-request`, post, live()));
    expect(response.status).toBe(400);
  });

  it('fails a 5xx as bad_status with its status', async () => {
    const error = await attemptFailure(`${base}/overloaded`, live());
    expect(error).toMatchObject({ reason: 'bad_status', status: 503, retryable: true });
  });

  it('fails a refused connection as network', async () => {
    const port = await freePort();
    const error = await attemptFailure(`http://127.0.0.1:${port}/graphql`, live());
    expect(error).toMatchObject({ reason: 'network', retryable: true });
  });

  it('fails as timeout when aborted waiting for the headers or the rest of the body', async () => {
    for (const path of ['/stall-headers', '/stall-body']) {
      const error = await attemptFailure(`${base}${path}`, AbortSignal.timeout(100));
      expect(error).toMatchObject({ reason: 'timeout', retryable: false });
    }
  });
});
