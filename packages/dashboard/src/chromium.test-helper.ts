// Launches Debian's Chromium (installed by scripts/ensure-chromium.mjs, which the test script runs first) with
// playwright-core. Playwright's own browser download is never used: the machines reach npm and Debian only.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function chromiumPath(): string {
  const path = process.env.LLMO_CHROMIUM ?? CANDIDATES.find((candidate) => existsSync(candidate));
  if (!path) {
    throw new Error(
      'No Chromium found for the dashboard browser tests: run `node scripts/ensure-chromium.mjs` (installs Debian’s chromium) or set LLMO_CHROMIUM.',
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    timeout: 30_000,
  });
}
