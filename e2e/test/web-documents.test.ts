import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { stackEndpoints } from '@platform/testing';
import { startTestPlatform, type TestPlatform } from './platform.js';
import {
  ensureWebAppBuilt,
  launchBrowser,
  newAppContext,
  screenshot,
  signUpInApp,
  type BrowserUser,
} from './web-browser.js';

/**
 * The web app's project screens in real Chromium against the real platform (Kafka, the
 * notification pipeline, graphql-ws): a document edited in one browser context appears in the
 * other with its notification, and a version conflict is resolved both ways.
 */
let platform: TestPlatform;
let browser: Browser;
let origin: string;
let alicePage: Page;
let bobPage: Page;
let bob: BrowserUser;
let documentUrl: string;
const cspErrors: string[][] = [];

const titleField = (page: Page) => page.getByLabel('Title', { exact: true });
const unreadBadge = (page: Page) => page.getByTestId('unread-count');
const save = (page: Page) => page.getByRole('button', { name: 'Save', exact: true }).click();
/** The editor's "Version n · last saved by …" line at version n. */
const atVersion = (page: Page, version: number) =>
  page
    .getByTestId('document-version')
    .filter({ hasText: `Version ${version} ` })
    .waitFor();
/** How long a live change may take to show here (the pipeline is Kafka, Redis and a socket). */
const LIVE_TIMEOUT_MS = 10_000;
const titleIs = (page: Page, title: string, timeout = LIVE_TIMEOUT_MS) =>
  page.waitForFunction(
    (expected) =>
      (document.querySelector('input[name="title"]') as HTMLInputElement | null)?.value ===
      expected,
    title,
    { timeout },
  );

beforeAll(async () => {
  ensureWebAppBuilt();
  platform = await startTestPlatform({ events: { brokers: stackEndpoints().kafka.brokers } });
  await platform.events!.startNotificationConsumer();
  await platform.events!.startAnalyticsConsumer();
  origin = new URL(platform.gatewayUrl).origin;
  browser = await launchBrowser();
  const a = await newAppContext(browser);
  const b = await newAppContext(browser);
  alicePage = a.page;
  bobPage = b.page;
  cspErrors.push(a.cspErrors, b.cspErrors);
  await signUpInApp(alicePage, origin, 'Alice');
  bob = await signUpInApp(bobPage, origin, 'Bob');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
}, 60_000);

it('a member’s edit appears live in the other context with its notification, without a reload', async () => {
  // Alice creates a project and a document from the app's forms.
  await alicePage.goto(`${origin}/`);
  await alicePage.getByLabel('Name', { exact: true }).fill('Orbit');
  await alicePage.getByLabel('Description').fill('Launch plan');
  await alicePage.getByRole('button', { name: 'Create project' }).click();
  await alicePage.getByRole('heading', { name: 'Orbit' }).waitFor();
  await alicePage.getByRole('link', { name: 'New document' }).click();
  await titleField(alicePage).fill('Plan');
  await alicePage.getByRole('textbox', { name: /^Tags/ }).fill('q3, launch');
  await alicePage.getByLabel('Body (JSON)').fill('{"steps": [');
  await expect(alicePage.getByText(/The body is not valid JSON/).isVisible()).resolves.toBe(true);
  await expect(
    alicePage.getByRole('button', { name: 'Create document' }).isDisabled(),
  ).resolves.toBe(true);
  await alicePage.getByLabel('Body (JSON)').fill('{"steps": ["draft"]}');
  await alicePage.getByRole('button', { name: 'Create document' }).click();
  await atVersion(alicePage, 1);
  documentUrl = alicePage.url();
  expect(documentUrl).toMatch(/\/projects\/[^/]+\/documents\/[^/]+$/);

  // She adds Bob; his bell shows the notification live (this also warms the pipeline).
  await alicePage.getByLabel('User id to add').fill(bob.id);
  await alicePage.getByRole('button', { name: 'Add member' }).click();
  await alicePage.getByTestId('members').getByText('Bob').waitFor();
  await unreadBadge(bobPage).filter({ hasText: '1' }).waitFor({ timeout: 30_000 });

  // Bob opens the document and saves a new title; Alice's open editor shows it, with the
  // notification in her bell, without a reload.
  await bobPage.goto(documentUrl);
  await expect(titleField(bobPage).inputValue()).resolves.toBe('Plan');
  await titleField(bobPage).fill('Plan, reviewed by Bob');
  await save(bobPage);
  await atVersion(bobPage, 2);
  // Live means without a reload; how fast is the benchmarks' business (a bound here fails a
  // loaded CI machine, not the product).
  await titleIs(alicePage, 'Plan, reviewed by Bob', LIVE_TIMEOUT_MS);
  await unreadBadge(alicePage).filter({ hasText: '1' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  await alicePage
    .getByRole('status')
    .getByText(/was updated/)
    .waitFor();
  await atVersion(alicePage, 2);
  await screenshot(alicePage, 'document');
}, 120_000);

it('a version conflict shows both versions: Alice keeps hers, Bob takes the newer one', async () => {
  // Both edit version 2; Bob saves first, and Alice is told while she edits.
  await titleField(alicePage).fill('Alice’s title');
  await titleField(bobPage).fill('Bob’s title');
  await save(bobPage);
  await atVersion(bobPage, 3);
  await alicePage.getByTestId('changed-underneath').waitFor({ timeout: 10_000 });

  // Alice's save hits VERSION_CONFLICT: she sees both versions.
  await save(alicePage);
  const conflict = alicePage.getByRole('region', { name: /saved this document first/ });
  await conflict.waitFor();
  await expect(conflict.getByTestId('conflict-mine').innerText()).resolves.toContain(
    'Alice’s title',
  );
  await expect(conflict.getByTestId('conflict-theirs').innerText()).resolves.toContain(
    'Bob’s title',
  );
  await screenshot(alicePage, 'conflict');

  // Bob edits version 3 again; then Alice keeps hers, saved over version 3 as version 4.
  await titleField(bobPage).fill('Bob again');
  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await atVersion(alicePage, 4);
  await titleIs(alicePage, 'Alice’s title');

  // Bob's save (from version 3) conflicts; he takes the newer version, Alice's.
  await save(bobPage);
  const bobConflict = bobPage.getByRole('region', { name: /saved this document first/ });
  await bobConflict.waitFor();
  await expect(bobConflict.getByTestId('conflict-mine').innerText()).resolves.toContain(
    'Bob again',
  );
  await expect(bobConflict.getByTestId('conflict-theirs').innerText()).resolves.toContain(
    'Alice’s title',
  );
  await bobConflict.getByRole('button', { name: 'Take theirs' }).click();
  await titleIs(bobPage, 'Alice’s title');
  await atVersion(bobPage, 4);

  // What the platform stored is Alice's version 4.
  await bobPage.reload();
  await titleIs(bobPage, 'Alice’s title');
  await atVersion(bobPage, 4);

  // Alice's notifications: Bob's edits, each linking to the document; mark one read, then all.
  await alicePage.goto(`${origin}/notifications`);
  const list = alicePage.getByTestId('notification-list');
  await list
    .getByRole('link', { name: /was updated/ })
    .first()
    .waitFor();
  await expect(
    list
      .getByRole('link', { name: /was updated/ })
      .first()
      .getAttribute('href'),
  ).resolves.toBe(new URL(documentUrl).pathname);
  await screenshot(alicePage, 'notifications');
  await list
    .getByRole('button', { name: /^Mark read/ })
    .first()
    .click();
  await alicePage.getByRole('button', { name: 'Mark all read' }).click();
  await list
    .getByRole('button', { name: /^Mark read/ })
    .first()
    .waitFor({ state: 'detached' });
  await unreadBadge(alicePage).waitFor({ state: 'detached' });
  expect(cspErrors.flat()).toEqual([]);
}, 120_000);

it('renames the project, removes a member and deletes the project with its documents', async () => {
  const projectPath = new URL(documentUrl).pathname.replace(/\/documents\/.*$/, '');
  await alicePage.goto(`${origin}${projectPath}`);
  await alicePage.getByRole('button', { name: 'Project settings' }).click();
  await alicePage.getByLabel('Project name').fill('Orbit 2');
  await alicePage.getByRole('button', { name: 'Save project' }).click();
  await alicePage.getByRole('heading', { name: 'Orbit 2', level: 1 }).waitFor();

  await alicePage.getByRole('button', { name: 'Remove Bob' }).click();
  await alicePage.getByTestId('members').getByText('Bob').waitFor({ state: 'detached' });
  // Bob no longer sees the project.
  await bobPage.goto(`${origin}${projectPath}`);
  await bobPage.getByRole('heading', { name: 'Project not found' }).waitFor();

  await alicePage.getByRole('button', { name: 'Project settings' }).click();
  await alicePage.getByRole('button', { name: 'Delete this project' }).click();
  await alicePage.getByRole('button', { name: 'Delete project', exact: true }).click();
  await alicePage.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await alicePage.goto(documentUrl);
  await alicePage.getByRole('heading', { name: 'Project not found' }).waitFor();
}, 120_000);
