import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { metricsReader } from './metrics-reader.js';

const METRICS = '# HELP up 1\n# TYPE up gauge\nup 1\n';

/** A server answering /metrics with `metrics` (when given a token, only to that bearer). */
async function server(answer: { metrics: boolean; token?: string }) {
  const listening = http.createServer((request, response) => {
    const allowed = !answer.token || request.headers.authorization === `Bearer ${answer.token}`;
    if (answer.metrics && allowed && request.url === '/metrics') response.end(METRICS);
    else response.writeHead(allowed ? 404 : 401).end('{"error":"not here"}');
  });
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const { port } = listening.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/metrics`, close: () => listening.close() };
}

describe('metricsReader', () => {
  let publicPort: Awaited<ReturnType<typeof server>>;
  let internalPort: Awaited<ReturnType<typeof server>>;
  let guarded: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    publicPort = await server({ metrics: false });
    internalPort = await server({ metrics: true });
    guarded = await server({ metrics: true, token: 'secret' });
  });
  afterAll(() => {
    for (const one of [publicPort, internalPort, guarded]) one.close();
  });

  it('falls back to the next address when the first serves no metrics, and keeps to it', async () => {
    const reader = metricsReader([publicPort.url, internalPort.url]);
    expect(await reader.read()).toEqual([{ name: 'up', labels: {}, value: 1 }]);
    expect(reader.source()).toBe(internalPort.url);
  });

  it('answers undefined, not an error, when no address serves metrics', async () => {
    const reader = metricsReader([publicPort.url, 'http://127.0.0.1:1/metrics']);
    expect(await reader.read()).toBeUndefined();
    expect(reader.source()).toBeUndefined();
  });

  it('sends the token when metrics need one', async () => {
    expect(await metricsReader([guarded.url]).read()).toBeUndefined();
    expect(await metricsReader([guarded.url], 'secret').read()).toHaveLength(1);
  });
});
