import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { uniqueName } from '@platform/testing';

/**
 * The web app in headless Chromium (Debian's, driven by playwright-core) for e2e/test/web-*.test.ts:
 * the built app (web/dist, built here when missing), a browser, sign-up through the app's own
 * form, an axe-core scan, and screenshots (docs/web-<name>.png with UPDATE_SCREENSHOTS=1).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../..', import.meta.url));
export const PASSWORD = 'correct horse battery';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

export function ensureWebAppBuilt(): void {
  if (!existsSync(`${repo}web/dist/index.html`)) {
    execFileSync('npm', ['run', '--silent', 'build', '-w', 'web'], { cwd: repo, stdio: 'ignore' });
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/** A browser context on the gateway's origin that fails the test on any CSP violation. */
export async function newAppContext(
  browser: Browser,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; cspErrors: string[] }> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      cspErrors.push(message.text());
    }
  });
  return { context, page, cspErrors };
}

export interface BrowserUser {
  id: string;
  email: string;
  name: string;
}

/** Signs up through the app's form, then reads the new user's id from the account screen. */
export async function signUpInApp(
  page: Page,
  origin: string,
  name: string,
  email = `${uniqueName(name.toLowerCase())}@example.com`,
): Promise<BrowserUser> {
  await page.goto(`${origin}/sign-up`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.goto(`${origin}/account`);
  const id = (await page.getByTestId('my-user-id').innerText()).trim();
  return { id, email, name };
}

export async function signInInApp(
  page: Page,
  origin: string,
  email: string,
  password = PASSWORD,
): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The source goes in through
 * the DevTools protocol (page.evaluate), which the page's CSP does not govern, so the app's policy
 * stays as strict as in production.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (context: Document) => Promise<{ violations: Array<Record<string, unknown>> }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((one) => one.impact === 'serious' || one.impact === 'critical')
      .map((one) => ({
        id: String(one.id),
        impact: String(one.impact),
        help: String(one.help),
        nodes: (one.nodes as Array<{ target: unknown }>).map((node) => JSON.stringify(node.target)),
      }));
  });
}

/**
 * The elements that stick out past the viewport's right edge (so the page would scroll sideways),
 * outside regions that scroll on their own; empty when the page fits its width.
 */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (element: Element | null): boolean => {
      for (let node = element; node; node = node.parentElement) {
        const overflowX = getComputedStyle(node).overflowX;
        if (
          node !== element &&
          (overflowX === 'auto' || overflowX === 'hidden' || overflowX === 'scroll')
        )
          return true;
      }
      return false;
    };
    if (document.documentElement.scrollWidth <= width + 1) return [];
    return [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !scrolls(element))
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} right=${Math.round(element.getBoundingClientRect().right)}`,
      )
      .slice(0, 10);
  });
}

/** Checks the current screen: no serious/critical axe violation and, on a phone, no side scroll. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect({ screen, violations: await axeViolations(page) }).toEqual({ screen, violations: [] });
  expect({ screen, overflowing: await overflowingElements(page) }).toEqual({
    screen,
    overflowing: [],
  });
}

/** docs/web-<name>.png with UPDATE_SCREENSHOTS=1, else a temporary file the test still writes. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.UPDATE_SCREENSHOTS
    ? path.join(repo, 'docs')
    : path.join(os.tmpdir(), 'web-screens');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `web-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
