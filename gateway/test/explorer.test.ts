import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningGateway } from '../src/server.js';
import { bearer, startTestPlatform, type TestPlatform } from './test-platform.js';

/** What a browser sends when it navigates to /graphql. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let platform: TestPlatform;
let url: string;
let disabled: RunningGateway;

beforeAll(async () => {
  // A stand-in bundle, so this test does not depend on `build:explorer` having run.
  const bundleDir = await mkdtemp(path.join(os.tmpdir(), 'explorer-bundle-'));
  await writeFile(path.join(bundleDir, 'explorer-ABC123.js'), 'console.log("explorer");\n');
  await writeFile(path.join(bundleDir, 'explorer-DEF456.css'), 'body { margin: 0; }\n');
  await writeFile(
    path.join(bundleDir, 'manifest.json'),
    JSON.stringify({ script: 'explorer-ABC123.js', style: 'explorer-DEF456.css' }),
  );
  platform = await startTestPlatform({ gatewayConfig: { EXPLORER_BUNDLE_DIR: bundleDir } });
  url = platform.gateway.url;
  disabled = await platform.startAnotherGateway({
    gatewayConfig: { EXPLORER_BUNDLE_DIR: bundleDir, EXPLORER_ENABLED: false },
  });
}, 60_000);

afterAll(async () => {
  await platform?.stop();
});

const post = (target: string, query: string, headers: Record<string, string> = {}) =>
  fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

describe('the GraphiQL explorer', () => {
  it('serves the page to a browser GET, with a strict CSP and no inline script', async () => {
    const response = await fetch(url, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const host = new URL(url).host;
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        `font-src 'self' data:; connect-src 'self' ws://${host} wss://${host}; ` +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/graphql/explorer/explorer-ABC123.js">');
    expect(html).toContain('<link rel="stylesheet" href="/graphql/explorer/explorer-DEF456.css"');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('serves the hashed bundle files for a year, and 404 for anything else there', async () => {
    const script = await fetch(new URL('/graphql/explorer/explorer-ABC123.js', url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await fetch(new URL('/graphql/explorer/explorer-DEF456.css', url));
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(new URL('/graphql/explorer/nothing.js', url))).status).toBe(404);
  });

  it('leaves POST and GraphQL GETs to Apollo', async () => {
    const posted = await post(url, '{ __typename }');
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ data: { __typename: 'Query' } });

    for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
      const got = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { accept, 'apollo-require-preflight': 'true' },
      });
      expect(got.status).toBe(200);
      expect(got.headers.get('content-security-policy')).toBeNull();
      expect(await got.json()).toMatchObject({ data: { __typename: 'Query' } });
    }
    // A GET without the CSRF header is still refused by Apollo, as before.
    const unsafe = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(unsafe.status).toBe(400);
  });

  it('lets an authenticated caller introspect (the docs), and not an anonymous one', async () => {
    const query = '{ __schema { queryType { name } } }';
    const signedIn = await post(url, query, await bearer());
    expect(await signedIn.json()).toMatchObject({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    expect((await post(url, query)).status).toBe(401);
  });

  it('is not served with EXPLORER_ENABLED=false: a browser GET goes to Apollo as before', async () => {
    const response = await fetch(disabled.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(await response.text()).not.toContain('explorer');
    const asset = await fetch(new URL('/graphql/explorer/explorer-ABC123.js', disabled.url));
    expect(await asset.text()).not.toContain('console.log');
  });
});
