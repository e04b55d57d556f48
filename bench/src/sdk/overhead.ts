import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client, operations } from '@acme/sdk';

/** What the bare server answers to every request: the shape of the SDK's `me` operation. */
const ANSWER = JSON.stringify({
  data: {
    me: { id: '7f1c', email: 'ada@example.com', name: 'Ada', role: 'USER', memberships: [] },
  },
});

export interface OverheadResult {
  requests: number;
  fetchP50Ms: number;
  fetchP99Ms: number;
  sdkP50Ms: number;
  sdkP99Ms: number;
  /** (sdk p50 - fetch p50) / fetch p50, in percent. */
  overheadP50Percent: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

/**
 * The SDK's own cost per query: the same `me` query, one request at a time, sent by a bare `fetch`
 * (POST, JSON body, the API-key header) and by `client.users.me()` (persisted query hash, retries,
 * error mapping, typed result), both to a local server that answers fixed bytes at once, so the
 * difference is the client's work. The two alternate in blocks, so drift hits both alike.
 */
export async function measureSdkOverhead(requests = 4000): Promise<OverheadResult> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'bench' });
      response.end(ANSWER);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const apiKey = 'bench-key';
  const client = new Client({ apiKey, url });
  const body = JSON.stringify({
    query: operations.MeDocument.toString(),
    operationName: 'Me',
    variables: {},
  });
  const bareFetch = async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body,
    });
    await response.json();
  };
  const viaSdk = async () => {
    await client.users.me();
  };

  const timings = { fetch: [] as number[], sdk: [] as number[] };
  const timeBlock = async (run: () => Promise<void>, into: number[], count: number) => {
    for (let i = 0; i < count; i += 1) {
      const started = performance.now();
      await run();
      into.push(performance.now() - started);
    }
  };
  try {
    await timeBlock(bareFetch, [], 300); // warm-up: connection pool, JIT
    await timeBlock(viaSdk, [], 300);
    const block = 200;
    for (let done = 0; done < requests; done += block) {
      await timeBlock(bareFetch, timings.fetch, block);
      await timeBlock(viaSdk, timings.sdk, block);
    }
  } finally {
    server.close();
  }
  const fetchSorted = timings.fetch.sort((a, b) => a - b);
  const sdkSorted = timings.sdk.sort((a, b) => a - b);
  const fetchP50Ms = percentile(fetchSorted, 50);
  const sdkP50Ms = percentile(sdkSorted, 50);
  return {
    requests: fetchSorted.length,
    fetchP50Ms,
    fetchP99Ms: percentile(fetchSorted, 99),
    sdkP50Ms,
    sdkP99Ms: percentile(sdkSorted, 99),
    overheadP50Percent: ((sdkP50Ms - fetchP50Ms) / fetchP50Ms) * 100,
  };
}
