import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; `scripts/ensure-chromium.sh` installs it (Playwright's own download cannot work here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium for browser tests, driven by playwright-core. Background networking, sync and
 * component updates are off: the machine has no internet, and those connections would fail
 * noisily at every start. `--no-sandbox` because CI runs as root.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
