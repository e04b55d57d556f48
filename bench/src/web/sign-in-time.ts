import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';

export interface SignInTiming {
  runs: number;
  /** From the click on "Sign in" to the dashboard's project table rendered with data, in ms. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** The first run: a browser context with an empty cache. Later runs reuse the HTTP cache. */
  coldMs: number;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Signs in through the web app's form in headless Chromium and times the click to the rendered
 * dashboard (the projects table's first row: the dashboard query answered and drawn). Each run is
 * a fresh browser context (no session); the first has a cold HTTP cache too.
 */
export async function measureSignInToDashboard(
  origin: string,
  user: { email: string; password: string },
  runs = 7,
): Promise<SignInTiming> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  const timings: number[] = [];
  try {
    const shared = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    for (let run = 0; run < runs; run += 1) {
      const page = await shared.newPage();
      await page.goto(`${origin}/sign-in`);
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.getByLabel('E-mail').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      const started = performance.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .locator('section[aria-labelledby="projects-heading"] tbody tr')
        .first()
        .waitFor({ timeout: 30_000 });
      timings.push(performance.now() - started);
      await page.close();
    }
    await shared.close();
  } finally {
    await browser.close();
  }
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    runs,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    minMs: sorted[0]!,
    maxMs: sorted.at(-1)!,
    coldMs: timings[0]!,
  };
}
