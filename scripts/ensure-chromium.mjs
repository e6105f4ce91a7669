// Makes sure a headless Chromium is on this machine for @llmo/dashboard's browser tests: Debian's `chromium`
// package, installed here when missing (CI machines start without it). playwright-core drives it; its own
// browser download is never used (the machines reach npm and Debian only). Prints the executable's path.
// `LLMO_CHROMIUM=/path/to/chrome` points the tests at another Chromium/Chrome and skips the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { aptInstall } from './apt-install.mjs';

const log = (message) => console.log(`[ensure-chromium] ${message}`);
// Where Debian and Ubuntu put it; the first that exists and runs wins.
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function findChromium() {
  const candidates = process.env.LLMO_CHROMIUM ? [process.env.LLMO_CHROMIUM] : CANDIDATES;
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const run = spawnSync(path, ['--headless', '--no-sandbox', '--version'], { encoding: 'utf8' });
    if (run.status === 0) return { path, version: run.stdout.trim() };
  }
  return undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let found = findChromium();
  if (!found && !process.env.LLMO_CHROMIUM) {
    // Recommends pull in fonts and GPU drivers the headless tests do not need; fonts-liberation gives the
    // screenshot readable Latin glyphs.
    if (aptInstall(['chromium', 'fonts-liberation'], log, { recommends: false })) found = findChromium();
  }
  if (!found) {
    log(
      'Chromium is required by the @llmo/dashboard browser tests; install it (or set LLMO_CHROMIUM) and run them again.',
    );
    process.exit(1);
  }
  log(`${found.version} at ${found.path}`);
}
