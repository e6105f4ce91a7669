// The dashboard page in a real headless Chromium (Debian's, driven by playwright-core), against a real Router
// whose providers are @llmo/provider-openai clients of fake OpenAI-compatible servers on 127.0.0.1.
import { Hono } from 'hono';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.test-helper.js';
import { authorizeKey, createDashboard, type Dashboard } from './index.js';
import {
  type Harness,
  PROMPT_MARKER,
  serveApp,
  startHarness,
  TEST_API_KEY,
} from './load-harness.test-helper.js';

const KEY = 'browser-dashboard-key';
// Generous: the machine is shared, and a wait ends as soon as its condition holds.
const WAIT = { timeout: 30_000, polling: 50 } as const;

/** Polls a condition in this process (the server side) until true, at most 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not met in time: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let browser: Browser;
let harness: Harness;
let dashboard: Dashboard;
let server: { url: string; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  [browser, harness] = await Promise.all([launchChromium(), startHarness()]);
  dashboard = createDashboard({
    router: harness.router,
    authorize: authorizeKey((key) => key === KEY),
    historyMinutes: 5,
    bucketSeconds: 1,
    intervalMs: 250,
    // Short, so the reconnection test sees the server end a stream and the page come back.
    maxStreamMs: 4_000,
  });
  const app = new Hono();
  app.route('/dashboard', dashboard);
  // The same data where no stream is allowed: the page must fall back to polling /snapshot.
  app.route('/polling', createDashboard({ collector: dashboard.collector, maxStreams: 0 }));
  server = await serveApp(app);
  // The browser logs in with HTTP Basic, as a person does at the browser's prompt.
  context = await browser.newContext({ httpCredentials: { username: 'ops', password: KEY } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  dashboard?.close();
  await server?.close();
  await harness?.close();
});

describe('the dashboard page in Chromium', { timeout: 90_000 }, () => {
  it('loads with no console errors, goes live over SSE and draws the provider cards', async () => {
    const response = await page.goto(`${server.url}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.waitForFunction(
      () => document.getElementById('connection')?.dataset.state === 'live',
      null,
      WAIT,
    );
    await page.waitForFunction(() => Number(document.body.dataset.snapshots) >= 1, null, WAIT);
    expect(
      await page
        .locator('article.provider')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-provider'))),
    ).toEqual(['alpha', 'beta']);
    expect(await page.locator('article.provider[data-provider="alpha"]').getAttribute('data-health')).toBe(
      'healthy',
    );
    expect(await page.locator('figure[data-chart] canvas').count()).toBeGreaterThanOrEqual(5);
    expect(problems).toEqual([]);
  });

  it('updates the charts, cards and table while a load runs', async () => {
    const requestsDrawn = () =>
      page.evaluate(() => {
        const chart = (window as never as { llmoDashboard: { charts: Record<string, { data: number[][] }> } })
          .llmoDashboard.charts.requests;
        return chart
          ? chart.data
              .slice(1)
              .flat()
              .reduce((sum: number, v) => sum + (v ?? 0), 0)
          : 0;
      });
    const canvas = () =>
      page.evaluate(() =>
        (document.querySelector('figure[data-chart="requests"] canvas') as HTMLCanvasElement).toDataURL(),
      );
    const before = await canvas();
    expect(await requestsDrawn()).toBe(0);

    const load = harness.startLoad({ concurrency: 4, maxRequests: 5_000 });
    try {
      await page.waitForFunction(
        () => {
          const charts = (
            window as never as { llmoDashboard: { charts: Record<string, { data: (number | null)[][] }> } }
          ).llmoDashboard.charts;
          const total = (name: string) =>
            (charts[name]?.data.slice(1).flat() ?? []).reduce((sum: number, v) => sum + (v ?? 0), 0);
          return total('requests') > 0 && total('latency') > 0 && total('ttft') > 0 && total('tokens') > 0;
        },
        null,
        WAIT,
      );
      const firstTotal = await requestsDrawn();
      // The same chart later shows more: it keeps updating while the load runs.
      await page.waitForFunction(
        (previous) => {
          const chart = (
            window as never as { llmoDashboard: { charts: Record<string, { data: number[][] }> } }
          ).llmoDashboard.charts.requests;
          return (
            chart!.data
              .slice(1)
              .flat()
              .reduce((sum: number, v) => sum + (v ?? 0), 0) > previous
          );
        },
        firstTotal,
        WAIT,
      );
      expect(await canvas()).not.toBe(before); // redrawn, not just new numbers in memory
      // Cost per currency, one chart each, never summed across currencies.
      await page.waitForSelector('figure[data-currency="USD"] canvas', WAIT);
      await page.waitForSelector('figure[data-currency="RUB"] canvas', WAIT);
      await page.waitForSelector('#requests tbody tr[data-result="ok"] .attempt.success', WAIT);
      expect(await page.locator('article[data-provider="alpha"] [data-role="cost"]').textContent()).toMatch(
        /USD/,
      );
      expect(await page.locator('article[data-provider="beta"] [data-role="cost"]').textContent()).toMatch(
        /RUB/,
      );
    } finally {
      await load.stop();
    }
    const html = await page.content();
    expect(html).not.toContain(TEST_API_KEY);
    expect(html).not.toContain(PROMPT_MARKER);
    expect(problems).toEqual([]);
  });

  it('shows a provider failure: errors by kind, the failed attempts, then the circuit opening', async () => {
    harness.servers.beta!.setDefault({ type: 'error', status: 500, message: 'upstream exploded' });
    try {
      // One request at a time, so the table still holds the failed attempts when the circuit opens (a load
      // would push them out of the last 50 within a second).
      for (let i = 0; i < 20 && harness.router.getMetrics().beta?.circuit !== 'open'; i++) {
        await harness.router.route(`${PROMPT_MARKER} ${i}`);
      }
      expect(harness.router.getMetrics().beta?.circuit).toBe('open');
      await page.waitForSelector('article.provider[data-provider="beta"][data-circuit="open"]', WAIT);
      await page.waitForSelector('article.provider[data-provider="beta"] .kind[data-kind="server"]', WAIT);
      await page.waitForSelector('#requests .attempt.error[data-provider="beta"]', WAIT);
      await page.waitForFunction(
        () => {
          const chart = (
            window as never as { llmoDashboard: { charts: Record<string, { series: { label?: string }[] }> } }
          ).llmoDashboard.charts.errors;
          return chart?.series.some((s) => s.label === 'server') ?? false;
        },
        null,
        WAIT,
      );
      // With beta's circuit open, requests skip it and alpha answers.
      for (let i = 0; i < 2; i++) await harness.router.route(`${PROMPT_MARKER} skip ${i}`);
      await page.waitForSelector('#requests .attempt.skipped[data-provider="beta"]', WAIT);
      expect(await page.locator('article.provider[data-provider="alpha"]').getAttribute('data-circuit')).toBe(
        'closed',
      );
      expect(await page.locator('article.provider[data-provider="beta"] .change').textContent()).toMatch(
        /closed → open/,
      );
    } finally {
      harness.servers.beta!.setDefault({ type: 'text', text: 'Back again.' });
    }
    expect(problems).toEqual([]);
  });

  it('reconnects when the server ends the stream, and keeps updating', async () => {
    const connects = () =>
      page.evaluate(
        () => (window as never as { llmoDashboard: { connects: number } }).llmoDashboard.connects,
      );
    const start = await connects();
    await page.waitForFunction(
      (n) => (window as never as { llmoDashboard: { connects: number } }).llmoDashboard.connects > n,
      start,
      WAIT,
    );
    const snapshots = await page.evaluate(() => Number(document.body.dataset.snapshots));
    await harness.router.route(`${PROMPT_MARKER} after reconnect`);
    await page.waitForFunction((n) => Number(document.body.dataset.snapshots) > n, snapshots, WAIT);
    await page.waitForFunction(
      () => document.getElementById('connection')?.dataset.state === 'live',
      null,
      WAIT,
    );
    expect(problems).toEqual([]);
  });

  it('polls /snapshot when the stream is refused (503), and keeps updating', async () => {
    const polling = await context.newPage();
    const messages: string[] = [];
    polling.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
    polling.on('pageerror', (error) => messages.push(`page error: ${error.message}`));
    try {
      await polling.goto(`${server.url}/polling/`);
      await polling.waitForFunction(
        () => document.getElementById('connection')?.dataset.state === 'polling',
        null,
        WAIT,
      );
      const seen = await polling.evaluate(() => Number(document.body.dataset.snapshots));
      await harness.router.route(`${PROMPT_MARKER} while polling`);
      await polling.waitForFunction((n) => Number(document.body.dataset.snapshots) > n, seen, WAIT);
      expect(
        await polling.evaluate(
          () => (window as never as { llmoDashboard: { connects: number } }).llmoDashboard.connects,
        ),
      ).toBe(0);
      // The only console lines: Chromium's own report of the refused stream.
      expect(messages.filter((m) => !/EventSource|503/.test(m))).toEqual([]);
    } finally {
      await polling.close();
    }
  });

  it('refuses a browser without the key (401)', async () => {
    for (const credentials of [undefined, { username: 'ops', password: 'wrong' }]) {
      const stranger = await browser.newContext(credentials ? { httpCredentials: credentials } : {});
      try {
        // Chromium answers the Basic challenge with what it has (nothing, or the wrong key), then shows the
        // 401 or gives the navigation up: either way no dashboard.
        const strangerPage = await stranger.newPage();
        const outcome = await strangerPage.goto(`${server.url}/dashboard`).then(
          (response) => String(response?.status()),
          (error: Error) => error.message,
        );
        expect(outcome).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
        expect(await strangerPage.locator('#providers').count()).toBe(0);
        for (const path of ['', '/snapshot', '/events']) {
          expect((await stranger.request.get(`${server.url}/dashboard${path}`)).status()).toBe(401);
        }
      } finally {
        await stranger.close();
      }
    }
  });

  it('leaves no subscriber behind when the page goes away', async () => {
    // (The stream may be between two connections right now: maxStreamMs is short here.)
    await until(() => dashboard.collector.subscriberCount >= 1);
    await page.close();
    await until(() => dashboard.collector.subscriberCount === 0);
    expect(dashboard.collector.subscriberCount).toBe(0);
  });
});
