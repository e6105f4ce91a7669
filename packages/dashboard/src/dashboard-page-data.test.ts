// The page in a real headless Chromium against odd data a real router rarely produces (a currency with a quote,
// currencies ageing out, providers past the cap), fired by hand through a stand-in router.
import type { RouterEvent } from '@llmo/core';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.test-helper.js';
import { createDashboard, type DashboardOptions } from './index.js';
import { serveApp } from './load-harness.test-helper.js';

const WAIT = { timeout: 10_000, polling: 50 } as const;

/** A stand-in router whose events the test fires by hand, with `names` registered. */
function fakeRouter(names: string[]) {
  const listeners = new Set<(event: RouterEvent) => void>();
  const view = { model: 'm', health: 'healthy', circuit: 'closed', windowRequests: 0, recentErrorRate: 0 };
  return {
    emit: (event: RouterEvent) => {
      for (const listener of listeners) listener(event);
    },
    on: (_type: string, listener: (event: RouterEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getMetrics: () => Object.fromEntries(names.map((name) => [name, { ...view, lastError: null }])),
    getProviders: () => names.map((name) => ({ name })),
    getSessionCost: () => ({}),
  };
}

/** One successful request on `provider` costing `amount` in `currency`. */
function costly(router: ReturnType<typeof fakeRouter>, id: string, provider: string, currency: string) {
  router.emit({
    type: 'route-start',
    requestId: id,
    streaming: false,
    candidates: [provider],
  } as RouterEvent);
  router.emit({ type: 'attempt-start', requestId: id, provider, model: 'm', retry: 0 } as RouterEvent);
  router.emit({
    type: 'attempt-end',
    requestId: id,
    provider,
    model: 'm',
    retry: 0,
    latencyMs: 120,
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
    cost: { amount: 0.5, currency },
  } as RouterEvent);
  router.emit({
    type: 'route-end',
    requestId: id,
    success: true,
    provider,
    model: 'm',
    latencyMs: 121,
    fallbacks: 0,
    retries: 0,
  } as RouterEvent);
}

let browser: Browser;
let page: Page;
const problems: string[] = [];
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  problems.length = 0;
});

async function open(router: ReturnType<typeof fakeRouter>, options: Partial<DashboardOptions> = {}) {
  const dashboard = createDashboard({ router: router as never, intervalMs: 100, ...options });
  const app = new Hono();
  app.route('/dashboard', dashboard);
  const server = await serveApp(app);
  cleanups.push(() => server.close());
  cleanups.push(() => dashboard.close());
  page = await browser.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  await page.goto(`${server.url}/dashboard`);
  await page
    .waitForFunction(() => Number(document.body.dataset.snapshots) >= 1, null, WAIT)
    .catch((error) => {
      throw new Error(`${error.message}\n${problems.join('\n')}`);
    });
  return dashboard;
}

describe('the dashboard page with odd data', { timeout: 90_000 }, () => {
  it('draws a cost chart for a currency with a quote in it (a currency is data, never a selector)', async () => {
    const router = fakeRouter(['a']);
    await open(router);
    costly(router, 'req-1', 'a', 'US"D');
    await page.waitForFunction(
      () => document.querySelectorAll('#cost-charts figure').length === 1,
      null,
      WAIT,
    );
    const state = await page.evaluate(() => ({
      renderErrors: (window as never as { llmoDashboard: { renderErrors: number } }).llmoDashboard
        .renderErrors,
      caption: document.querySelector('#cost-charts figcaption')?.textContent,
      rows: document.querySelectorAll('#requests tbody tr').length,
    }));
    expect(state).toEqual({ renderErrors: 0, caption: 'Cost per bucket (US"D)', rows: 1 });
    expect(problems).toEqual([]);
  });

  it('removes the cost chart of a currency whose costs aged out of the window', async () => {
    const router = fakeRouter(['a']);
    let now = Date.now();
    await open(router, { historyMinutes: 1, bucketSeconds: 1, now: () => now });
    costly(router, 'req-1', 'a', 'RUB');
    await page.waitForFunction(
      () => document.querySelectorAll('#cost-charts figure').length === 1,
      null,
      WAIT,
    );
    now += 61_000; // past the hour… of this one-minute window
    costly(router, 'req-2', 'a', 'USD');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLElement>('#cost-charts figure')]
          .map((f) => f.dataset.currency)
          .join() === 'USD',
      null,
      WAIT,
    );
    expect(problems).toEqual([]);
  });

  it('says which providers are past maxProviders and how many of their events were not charted', async () => {
    const router = fakeRouter(['a', 'b']);
    await open(router, { maxProviders: 1 });
    costly(router, 'req-1', 'a', 'USD');
    costly(router, 'req-2', 'b', 'USD');
    costly(router, 'req-3', 'b', 'USD');
    await page.waitForFunction(
      () =>
        document.getElementById('totals')?.textContent?.includes('2 events of providers past maxProviders'),
      null,
      WAIT,
    );
    const badges = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-role="not-charted"]')].map(
        (badge) => badge.closest<HTMLElement>('[data-provider]')?.dataset.provider,
      ),
    );
    expect(badges).toEqual(['b']);
    expect(problems).toEqual([]);
  });

  it('never draws a poll’s older snapshot over a newer one', async () => {
    const router = fakeRouter(['a']);
    const dashboard = await open(router, { maxStreamMs: 1000 });
    costly(router, 'req-1', 'a', 'USD');
    await page.waitForFunction(
      () => document.querySelectorAll('#requests tbody tr').length === 1,
      null,
      WAIT,
    );
    // From now on the stream cannot come back and every poll answers with data older than what is drawn.
    const stale = JSON.parse(dashboard.collector.snapshotJson());
    stale.generatedAt -= 60_000;
    stale.totals.routed = 12345;
    await page.route('**/dashboard/events', (route) => route.abort());
    await page.route('**/dashboard/snapshot', (route) => route.fulfill({ json: stale }));
    // Until the first poll's answer was handled: skipped as stale, or (the bug) drawn.
    await page.waitForFunction(
      () => {
        const state = (
          window as never as { llmoDashboard: { last: { totals: { routed: number } }; staleSkipped: number } }
        ).llmoDashboard;
        return state.staleSkipped >= 1 || state.last.totals.routed === 12345;
      },
      null,
      WAIT,
    );
    const drawn = await page.evaluate(
      () =>
        (window as never as { llmoDashboard: { last: { totals: { routed: number } }; staleSkipped: number } })
          .llmoDashboard,
    );
    expect(drawn.last.totals.routed).toBe(1);
    expect(drawn.staleSkipped).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#totals')).not.toMatch(/12[,.\s]?345/);
  });
});
