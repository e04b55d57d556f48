import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { uniqueName } from '@platform/testing';
import type * as Sdk from '../src/index.js';
import { startSdkPlatform, type SdkPlatform } from './platform.js';

const sdkEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/index.ts');

let sdk: SdkPlatform;
let browser: Browser;
let bundle: string;

beforeAll(async () => {
  sdk = await startSdkPlatform();
  // The SDK as a web app bundles it: for the browser, nothing from Node (no `ws`: the page's own
  // WebSocket), exposed as a global for the page.
  const built = await build({
    entryPoints: [sdkEntry],
    bundle: true,
    format: 'iife',
    globalName: 'AcmeSdk',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  bundle = built.outputFiles[0]!.text;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // The page below is fulfilled by the test (page.route), so Chromium knows no address for it
    // and its Local Network Access check would refuse the WebSocket to 127.0.0.1 as coming from
    // the public internet; a page the gateway itself serves (the web app, the explorer) passes it.
    args: ['--no-sandbox', '--disable-features=LocalNetworkAccessChecks'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sdk?.stop();
}, 60_000);

describe('the SDK in a browser (headless Chromium)', () => {
  it('runs a query and a live subscription with the browser fetch and WebSocket', async () => {
    const signUp = (name: string) =>
      sdk.client().users.signUp({
        email: `${uniqueName(name)}@example.com`,
        name,
        password: 'correct horse battery',
      });
    const alice = await signUp('alice');
    const bob = await signUp('bob');

    const page = await browser.newPage();
    const pageLog: string[] = [];
    page.on('console', (message) => pageLog.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => pageLog.push(`pageerror: ${error.message}`));
    // A page on the gateway's own origin, as the web app is served: no CORS involved.
    const pageUrl = new URL('/sdk-browser-test', sdk.url).href;
    await page.route(pageUrl, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>sdk</title>' }),
    );
    await page.goto(pageUrl);
    await page.addScriptTag({ content: bundle });

    const me = await page.evaluate(
      async ({ token, url }) => {
        const { Client } = (globalThis as unknown as { AcmeSdk: typeof Sdk }).AcmeSdk;
        const client = new Client({ token }, url);
        const live = client.notifications.live();
        const first = (async () => {
          for await (const notification of live) return notification.message;
          return undefined;
        })();
        (globalThis as unknown as { firstNotification: Promise<unknown> }).firstNotification =
          first;
        return (await client.users.me())?.id;
      },
      { token: alice.token, url: sdk.url },
    );
    expect(me).toBe(alice.user.id);

    // Give the page's subscription a moment to be registered, then cause a notification for Alice.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const aliceClient = sdk.client({ token: alice.token });
    const project = await aliceClient.data.createProject({ name: uniqueName('browser') });
    const bobClient = sdk.client({ token: bob.token });
    await aliceClient.data.addProjectMember({ projectId: project.id, userId: bob.user.id });
    const document = await aliceClient.data.createDocument({ projectId: project.id, title: 'B' });
    await bobClient.data.updateDocument({
      id: document.id,
      expectedVersion: document.version,
      patch: { title: 'Seen in the browser' },
    });

    const message = await page.evaluate(
      () => (globalThis as unknown as { firstNotification: Promise<unknown> }).firstNotification,
    );
    expect({ message: String(message) }).toEqual({
      message: expect.stringContaining('Seen in the browser'),
    });
    expect(
      pageLog.filter((line) => line.startsWith('pageerror') || line.startsWith('error')),
    ).toEqual([]);
  }, 120_000);
});
