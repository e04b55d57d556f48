import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, stackEndpoints } from '@platform/testing';
import {
  graphql,
  signUp,
  startTestPlatform,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

/**
 * The gateway's GraphiQL explorer in headless Chromium (Debian's, driven by playwright-core): it
 * loads from the gateway alone, signs in, runs a query, and shows a live notification from a
 * graphql-ws subscription. `UPDATE_SCREENSHOTS=1` writes its screenshot to docs/explorer.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../..', import.meta.url));
/** docs/explorer.png (shown in the README) with UPDATE_SCREENSHOTS=1, else a temporary file. */
const screenshot = process.env.UPDATE_SCREENSHOTS
  ? `${repo}docs/explorer.png`
  : path.join(os.tmpdir(), 'explorer.png');

let platform: TestPlatform;
let browser: Browser;
let page: Page;
let alice: SignedUpUser;
let bob: SignedUpUser;
const otherOrigins: string[] = [];
const consoleErrors: string[] = [];
const introspections: Array<{ status: number; hasSchema: boolean }> = [];

/** Replaces the active tab's operation (CodeMirror 5 under GraphiQL 3) and runs it. */
async function run(operation: string): Promise<void> {
  await page.evaluate(
    `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(operation)})`,
  );
  // GraphiQL reads the operation's name from the editor after a short debounce.
  await page.waitForTimeout(500);
  await page.click('.graphiql-execute-button');
}

const responseText = () => page.locator('.graphiql-response').innerText();

beforeAll(async () => {
  if (!existsSync(`${repo}gateway/dist/explorer/manifest.json`)) {
    execFileSync('npm', ['run', '--silent', 'build:explorer', '-w', 'gateway'], { cwd: repo });
  }
  platform = await startTestPlatform({ events: { brokers: stackEndpoints().kafka.brokers } });
  await platform.events!.startNotificationConsumer();
  alice = await signUp(platform.gatewayUrl, 'alice');
  bob = await signUp(platform.gatewayUrl, 'bob');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
  const gateway = new URL(platform.gatewayUrl);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== gateway.origin) otherOrigins.push(url.href);
  });
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).host !== gateway.host) otherOrigins.push(socket.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('response', async (response) => {
    if (!response.request().postData()?.includes('__schema')) return;
    const body = (await response.json().catch(() => ({}))) as { data?: { __schema?: unknown } };
    introspections.push({ status: response.status(), hasSchema: !!body.data?.__schema });
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

it('signs in, runs { me { id } } and shows a live notification, with nothing from another origin', async () => {
  await page.goto(platform.gatewayUrl);
  await page.waitForSelector('.graphiql-execute-button');
  await expect(page.locator('#explorer-status').innerText()).resolves.toMatch(/Not signed in/);

  await page.fill('#explorer-email', alice.email);
  await page.fill('#explorer-password', 'correct horse battery');
  await page.click('#explorer-sign-in');
  await page.waitForSelector(`#explorer-status:has-text("Signed in as ${alice.email}")`);
  // The new credential makes a new fetcher: GraphiQL introspects again, now allowed.
  await eventually(async () => (introspections.some((one) => one.hasSchema) ? true : undefined));

  await run('{ me { id } }');
  await eventually(async () => ((await responseText()).includes(alice.id) ? true : undefined));

  // The example tab `subscription Notifications { notificationAdded { id kind message } }`.
  await page.click('.graphiql-tab-button:has-text("Notifications")');
  await page.waitForTimeout(500);
  await page.click('.graphiql-execute-button');
  await eventually(async () =>
    platform.gateway.subscriptions.activeCount() > 0 ? true : undefined,
  );
  // Bob adds Alice to his project: the notification pipeline (Kafka, notification subgraph, Redis)
  // tells her, and the explorer's subscription shows it.
  const project = await graphql<{ createProject: { id: string } }>(
    platform.gatewayUrl,
    'mutation { createProject(input: { name: "Explorer" }) { id } }',
    {},
    bob,
  );
  expect(project.errors).toBeUndefined();
  const added = await graphql(
    platform.gatewayUrl,
    'mutation ($p: ID!, $u: ID!) { addProjectMember(projectId: $p, userId: $u) { id } }',
    { p: project.data!.createProject.id, u: alice.id },
    bob,
  );
  expect(added.errors).toBeUndefined();
  await eventually(
    async () => ((await responseText()).includes('"notificationAdded"') ? true : undefined),
    { timeoutMs: 30_000 },
  );
  expect(await responseText()).toMatch(/"message": ".+"/);

  // The docs of the schema introspected after sign-in, beside the live result.
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer-root-type');
  await page.screenshot({ path: screenshot });
  expect(otherOrigins).toEqual([]);
  expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
}, 120_000);
