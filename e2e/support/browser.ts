import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, the browser CI installs (`apt-get install chromium fonts-noto-cjk`). */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Launches headless Chromium with nothing that phones home: the app must work with no internet
 * (LGWAN). Fails, never skips, when Chromium is missing.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Browser tests need it: ` +
        'install it with `apt-get install chromium fonts-noto-cjk`.',
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
