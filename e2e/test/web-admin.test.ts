import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { eventually, stackEndpoints } from '@platform/testing';
import { Client, UnauthenticatedError } from '../../sdk/src/index.js';
import { startTestPlatform, type TestPlatform } from './platform.js';
import {
  PHONE,
  ensureWebAppBuilt,
  expectAccessible,
  launchBrowser,
  newAppContext,
  screenshot,
  signUpInApp,
  type BrowserUser,
} from './web-browser.js';

/**
 * The web app's account and admin screens in real Chromium against the real platform: an API key
 * created (its secret shown once), used from the SDK, revoked and then refused; the platform
 * screens closed to a non-admin; and every screen at phone width with an axe-core scan.
 */
let platform: TestPlatform;
let browser: Browser;
let origin: string;
let page: Page;
let alice: BrowserUser;
const cspErrors: string[][] = [];

beforeAll(async () => {
  ensureWebAppBuilt();
  platform = await startTestPlatform({
    events: { brokers: stackEndpoints().kafka.brokers },
    // A revoked key is refused at once, not after the verdict cache's 10 s.
    gatewayEnv: { API_KEY_CACHE_SECONDS: '0' },
  });
  await platform.events!.startNotificationConsumer();
  await platform.events!.startAnalyticsConsumer();
  origin = new URL(platform.gatewayUrl).origin;
  browser = await launchBrowser();
  const context = await newAppContext(browser);
  page = context.page;
  cspErrors.push(context.cspErrors);
  alice = await signUpInApp(page, origin, 'Alice');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

it('is installable: Chromium finds no installability error in its manifest and icons', async () => {
  await page.goto(`${origin}/`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: Array<{ errorId: string }>;
  };
  // A Playwright browser context is off the record, which alone keeps Chromium from installing.
  expect(installabilityErrors.filter(({ errorId }) => errorId !== 'in-incognito')).toEqual([]);
  const manifest = (await (await fetch(`${origin}/manifest.webmanifest`)).json()) as {
    icons: Array<{ src: string }>;
  };
  for (const icon of manifest.icons) {
    expect((await fetch(`${origin}${icon.src}`)).status).toBe(200);
  }
  await cdp.detach();
}, 60_000);

it('creates an API key whose secret is shown once, used from the SDK, then revoked and refused', async () => {
  await page.goto(`${origin}/admin/api-keys`);
  await page.getByText('No API keys yet.').waitFor();
  await page.getByLabel('Name').fill('ci');
  await page.getByLabel('Write').check();
  await page.getByRole('button', { name: 'Create API key' }).click();
  const secret = (await page.getByTestId('secret-value').innerText()).trim();
  expect(secret.length).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
  await screenshot(page, 'api-keys');

  // The SDK, with the key: the key acts as Alice.
  const sdk = new Client({ apiKey: secret }, platform.gatewayUrl);
  await expect(sdk.users.me()).resolves.toMatchObject({ id: alice.id });

  // The secret is never shown again; the key's "last used" is now set.
  await page.reload();
  const keys = page.getByTestId('api-keys');
  await keys.waitFor();
  expect(await page.content()).not.toContain(secret);
  await expect(keys.getByTestId('last-used').innerText()).resolves.not.toBe('never');

  await page.getByRole('button', { name: 'Revoke ci' }).click();
  await keys.getByText('revoked').waitFor();
  await expect(sdk.users.me()).rejects.toBeInstanceOf(UnauthenticatedError);
}, 120_000);

it('keeps the platform screens from a user who is not a platform admin', async () => {
  await page.goto(`${origin}/admin`);
  await page.getByRole('heading', { name: 'Your organizations' }).waitFor();
  await expect(page.getByRole('navigation', { name: 'Admin' }).innerText()).resolves.not.toContain(
    'Platform',
  );
  await page.goto(`${origin}/admin/platform`);
  await page.getByTestId('admin-forbidden').waitFor();
  expect(await page.getByTestId('user-list').count()).toBe(0);
  // The API refuses too, whatever the screen shows.
  const token = await page.evaluate(
    () =>
      (
        JSON.parse(localStorage.getItem('platform.session') ?? '{}') as {
          tokens: { token: string };
        }
      ).tokens.token,
  );
  await expect(
    new Client({ token }, platform.gatewayUrl).users.list({ first: 5 }),
  ).rejects.toMatchObject({
    code: 'FORBIDDEN',
  });
}, 60_000);

it('every screen works at phone width, by keyboard, with no serious or critical axe violation', async () => {
  // Some content first: an organization, a project with a document, a notification.
  await page.goto(`${origin}/admin`);
  await page.getByLabel('New organization').fill('Acme');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('heading', { name: 'Members and roles' }).waitFor();
  await screenshot(page, 'organizations');

  await page.goto(`${origin}/`);
  await page.getByLabel('Name', { exact: true }).fill('Orbit');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('heading', { name: 'Orbit' }).waitFor();
  const projectPath = new URL(page.url()).pathname;
  await page.getByRole('link', { name: 'New document' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Plan');
  await page.getByLabel('Body (JSON)').fill('{"steps": ["draft", "review"]}');
  await page.getByRole('button', { name: 'Create document' }).click();
  await page.getByTestId('document-version').waitFor();
  const documentPath = new URL(page.url()).pathname;

  const screens: Array<[string, string, string]> = [
    ['dashboard', '/', 'Dashboard'],
    ['project', projectPath, 'Orbit'],
    ['document', documentPath, 'Edit document'],
    ['new document', `${projectPath}/documents/new`, 'New document'],
    ['notifications', '/notifications', 'Notifications'],
    ['account', '/account', 'Your account'],
    ['organizations', '/admin', 'Your organizations'],
    ['api keys', '/admin/api-keys', 'API keys'],
    ['platform', '/admin/platform', 'Platform administrators only'],
  ];
  // The analytics consumer counts the new document: the dashboard charts it (stats refresh on load).
  await page.getByLabel('Title', { exact: true }).fill('Plan, reviewed');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('document-version').filter({ hasText: 'Version 2 ' }).waitFor();
  await eventually(
    async () => {
      await page.goto(`${origin}/`);
      await page.getByRole('heading', { name: 'My activity' }).waitFor();
      return (await page.locator('figure.chart canvas').count()) > 0 ? true : undefined;
    },
    // The analytics subgraph's answers are cached for 30 s (its @cacheControl hints).
    { timeoutMs: 75_000, intervalMs: 2_000, what: 'the activity chart' },
  );
  await screenshot(page, 'dashboard');
  const phone = await newAppContext(browser, PHONE);
  cspErrors.push(phone.cspErrors);
  const session = await page.evaluate(() => localStorage.getItem('platform.session'));
  // The same session in the phone-sized context.
  await phone.page.goto(`${origin}/sign-in`);
  await expectAccessible(phone.page, 'sign in');
  await phone.page.getByRole('link', { name: 'Create an account' }).click();
  await phone.page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await expectAccessible(phone.page, 'sign up');
  await phone.page.evaluate((value) => localStorage.setItem('platform.session', value!), session);
  for (const [name, path, heading] of screens) {
    await phone.page.goto(`${origin}${path}`);
    await phone.page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
    await phone.page.waitForLoadState('networkidle');
    await expectAccessible(phone.page, name);
  }

  // Keyboard: the first Tab reaches the skip link, which moves focus past the navigation.
  await phone.page.goto(`${origin}/`);
  await phone.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await phone.page.keyboard.press('Tab');
  await expect(phone.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
    'Skip to content',
  );
  await phone.page.keyboard.press('Tab');
  await expect(phone.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
    'Platform',
  );
  await screenshot(phone.page, 'phone-dashboard');
  await phone.context.close();
  expect(cspErrors.flat()).toEqual([]);
}, 240_000);
