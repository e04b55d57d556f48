import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { stackEndpoints, uniqueName } from '@platform/testing';
import { startTestPlatform, type TestPlatform } from './platform.js';
import {
  PASSWORD,
  ensureWebAppBuilt,
  expectAccessible,
  launchBrowser,
  newAppContext,
  screenshot,
  signInInApp,
  signUpInApp,
  type BrowserUser,
} from './web-browser.js';

/**
 * Sessions and platform administration in the web app, in real Chromium on the real platform:
 * access tokens that expire within seconds are renewed without the user noticing; a session ended
 * elsewhere (a password change) sends the user to sign in and back with their unsaved edit; sign
 * out ends the session; the bootstrap admin (ADMIN_EMAILS) promotes a user, who then sees the
 * platform screens.
 */
const adminEmail = `${uniqueName('root')}@example.com`;
let platform: TestPlatform;
let browser: Browser;
let origin: string;
let adminPage: Page;
let alicePage: Page;
let alice: BrowserUser;

beforeAll(async () => {
  ensureWebAppBuilt();
  platform = await startTestPlatform({
    events: { brokers: stackEndpoints().kafka.brokers },
    userEnv: { ADMIN_EMAILS: adminEmail, JWT_TTL_SECONDS: '3' },
  });
  await platform.events!.startNotificationConsumer();
  await platform.events!.startAnalyticsConsumer();
  origin = new URL(platform.gatewayUrl).origin;
  browser = await launchBrowser();
  alicePage = (await newAppContext(browser)).page;
  adminPage = (await newAppContext(browser)).page;
  alice = await signUpInApp(alicePage, origin, 'Alice');
  await signUpInApp(adminPage, origin, 'Root', adminEmail);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

it('renews an expired access token by itself, and a session ended elsewhere keeps the edit', async () => {
  await alicePage.goto(`${origin}/`);
  await alicePage.getByLabel('Name', { exact: true }).fill('Orbit');
  await alicePage.getByRole('button', { name: 'Create project' }).click();
  await alicePage.getByRole('heading', { name: 'Orbit' }).waitFor();
  // The access token lives 3 s: after 4 s the next request is refused once, refreshed, resent.
  await alicePage.waitForTimeout(4_000);
  await alicePage.getByRole('link', { name: 'New document' }).click();
  await alicePage.getByLabel('Title', { exact: true }).fill('Plan');
  await alicePage.getByRole('button', { name: 'Create document' }).click();
  await alicePage.getByTestId('document-version').waitFor();
  const documentPath = new URL(alicePage.url()).pathname;

  // She starts an edit; meanwhile her password is changed in another browser, which ends this
  // session. Once its access token expires, the refresh is refused: sign-in, then back, edit kept.
  await alicePage.getByLabel('Title', { exact: true }).fill('Plan, my unsaved edit');
  const other = (await newAppContext(browser)).page;
  await signInInApp(other, origin, alice.email);
  await other.goto(`${origin}/account`);
  await other.getByLabel('Current password').fill(PASSWORD);
  await other.getByLabel('New password').fill(`${PASSWORD} 2`);
  await other.getByRole('button', { name: 'Change password' }).click();
  await other.getByText('Your other sessions have been signed out').waitFor();
  // The next request (the save, or the live socket's own renewal, whichever comes first) is
  // refused a refresh.
  await alicePage.waitForTimeout(4_000);
  const expired = alicePage.getByText('Your session has expired');
  if (!(await expired.isVisible())) {
    await alicePage
      .getByRole('button', { name: 'Save', exact: true })
      .click({ timeout: 5_000 })
      .catch(() => undefined);
  }
  await expired.waitFor();
  await expect(alicePage.getByLabel('E-mail').inputValue()).resolves.toBe(alice.email);
  await alicePage.getByLabel('Password').fill(`${PASSWORD} 2`);
  await alicePage.getByRole('button', { name: 'Sign in' }).click();
  await alicePage.waitForURL(`${origin}${documentPath}`);
  await expect(alicePage.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe(
    'Plan, my unsaved edit',
  );
  await alicePage.getByRole('button', { name: 'Save', exact: true }).click();
  await alicePage.getByTestId('document-version').filter({ hasText: 'Version 2 ' }).waitFor();

  // Sign out ends the session: the app shows sign-in, and the dashboard needs a new one.
  await alicePage.getByRole('button', { name: 'Sign out' }).click();
  await alicePage.getByText('You are signed out').waitFor();
  await alicePage.goto(`${origin}/`);
  await alicePage.getByRole('heading', { name: 'Sign in' }).waitFor();
}, 120_000);

it('lets the bootstrap admin promote a user, who then opens the platform screens', async () => {
  await adminPage.goto(`${origin}/admin`);
  await adminPage
    .getByRole('navigation', { name: 'Admin' })
    .getByRole('link', { name: 'Platform' })
    .click();
  await adminPage.getByRole('heading', { name: 'Event metrics' }).waitFor();
  const users = adminPage.getByTestId('user-list');
  await users.waitFor();
  await adminPage.getByLabel('Search users').fill('alice');
  const aliceRole = adminPage.getByLabel(`Platform role of ${alice.name}`);
  await aliceRole.waitFor();
  await expect(aliceRole.inputValue()).resolves.toBe('USER');
  await aliceRole.selectOption('ADMIN');
  await eventuallyValue(() => aliceRole.inputValue(), 'ADMIN');
  await expectAccessible(adminPage, 'platform (admin)');
  await screenshot(adminPage, 'platform');

  // Alice, signed in again, is a platform admin.
  await signInInApp(alicePage, origin, alice.email, `${PASSWORD} 2`);
  await alicePage.goto(`${origin}/admin/platform`);
  await alicePage.getByTestId('user-list').waitFor();
  await expect(alicePage.getByRole('navigation', { name: 'Admin' }).innerText()).resolves.toContain(
    'Platform',
  );
}, 120_000);

async function eventuallyValue(read: () => Promise<string>, expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await read()) !== expected) {
    if (Date.now() > deadline) throw new Error(`still not ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
