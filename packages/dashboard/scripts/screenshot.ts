// Screenshots the dashboard under load into docs/dashboard.png: a real Router over OpenAI providers pointed at
// fake servers on 127.0.0.1 (one of them failing part of the time), the built dashboard on @hono/node-server,
// and the same Debian Chromium the tests use.   pnpm --filter @llmo/dashboard screenshot
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { createDashboard } from '../dist/index.js';
import { launchChromium } from '../src/chromium.test-helper.js';
import { serveApp, startHarness } from '../src/load-harness.test-helper.js';

const output = fileURLToPath(new URL('../docs/dashboard.png', import.meta.url));
const harness = await startHarness({
  providers: [
    { name: 'openai-main', currency: 'USD' },
    { name: 'gigachat-pro', currency: 'RUB', chunkDelayMs: 6 },
    { name: 'vllm-local', currency: 'USD', chunkDelayMs: 1 },
  ],
});
const dashboard = createDashboard({
  router: harness.router,
  historyMinutes: 1,
  bucketSeconds: 1,
  recentRequests: 12,
  intervalMs: 500,
});
const app = new Hono();
app.route('/dashboard', dashboard);
const server = await serveApp(app);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1250 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/dashboard`);
  const load = harness.startLoad({ concurrency: 6, maxRequests: 50_000 });
  // Some rate limits and server errors on one provider, then an outage that opens the circuit of another.
  const flaky = harness.servers['gigachat-pro']!;
  for (let i = 0; i < 40; i++) {
    flaky.reply(
      i % 3 === 0 ? { type: 'error', status: 429, retryAfter: '0' } : { type: 'text', text: 'Fine, thanks.' },
    );
  }
  await page.waitForTimeout(20_000);
  harness.servers['vllm-local']!.setDefault({ type: 'error', status: 503, message: 'overloaded' });
  await page.waitForSelector('article[data-provider="vllm-local"][data-circuit="open"]', { timeout: 20_000 });
  await page.waitForTimeout(10_000);
  await load.stop();
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: output, fullPage: true });
  process.stdout.write(`wrote ${output}\n`);
} finally {
  await browser.close();
  dashboard.close();
  await server.close();
  await harness.close();
}
