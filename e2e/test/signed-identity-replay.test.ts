import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@platform/gateway';
import { IDENTITY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { signUp, startTestPlatform, type SignedUpUser, type TestPlatform } from './platform.js';

/**
 * Issue 12: "a captured header set can be replayed to any subgraph with any query for a minute".
 * A proxy between a real gateway and the real user subgraph captures what the gateway sends; the
 * capture is then replayed straight to the subgraphs, as whoever captured it would.
 */
interface Captured {
  headers: Record<string, string>;
  body: Buffer;
}

let platform: TestPlatform;
let gateway: RunningGateway;
let proxy: http.Server;
let alice: SignedUpUser;
const captured: Captured[] = [];

/** Forwards to the user subgraph, keeping a copy of each request's identity headers and body. */
async function startCapturingProxy(target: string): Promise<string> {
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const name of [IDENTITY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]) {
        headers[name] = String(req.headers[name]);
      }
      captured.push({ headers, body });
      const answer = await fetch(target, {
        method: 'POST',
        headers: { ...(req.headers as Record<string, string>), host: new URL(target).host },
        body,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await signUp(platform.gatewayUrl, 'alice');
  gateway = await startGateway(
    { ...loadGatewayConfig({ ...platform.secrets }), PORT: 0 },
    createLogger('gateway', { level: 'silent' }),
    {
      subgraphUrls: { user: await startCapturingProxy(platform.user.url), data: platform.data.url },
    },
  );
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
    body: JSON.stringify({ query: '{ me { id name } }' }),
  });
  expect(await response.json()).toMatchObject({ data: { me: { id: alice.id, name: 'alice' } } });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
  await platform?.stop();
}, 60_000);

/** The gateway's fetch of `me` (it also checks the subgraph's health and schema). */
function captureOfMe(): Captured {
  const capture = captured.find(({ body }) => /\bme\b/.test(body.toString('utf8')));
  if (!capture) throw new Error(`no fetch of me among ${captured.length} captured`);
  return capture;
}

async function replay(url: string, { headers, body }: Captured) {
  const response = await fetch(url, { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refused = {
  status: 401,
  body: { errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] },
};

describe('a header set captured between the gateway and the user subgraph', () => {
  it('is the request it was signed for: the same bytes to the same subgraph answer', async () => {
    const answer = await replay(platform.user.url, captureOfMe());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ data: { me: { id: alice.id } } });
  });

  it('is refused by a different subgraph', async () => {
    expect(await replay(platform.data.url, captureOfMe())).toEqual(refused);
  });

  it('is refused with a different body', async () => {
    const { headers } = captureOfMe();
    const otherQuery = Buffer.from(JSON.stringify({ query: '{ me { id email } }' }));
    expect(await replay(platform.user.url, { headers, body: otherQuery })).toEqual(refused);
  });

  it('is refused once its 30 s window has passed', async () => {
    const capture = captureOfMe();
    const signedAt = Number(capture.headers[TIMESTAMP_HEADER]) * 1000;
    // The subgraph runs in this process: its clock is moved, not waited for.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(signedAt + 31_000);
    try {
      expect(await replay(platform.user.url, capture)).toEqual(refused);
    } finally {
      clock.mockRestore();
    }
  });
});
