// The live dashboard of a router, mounted in a Hono app on Node: http://127.0.0.1:8787/dashboard while mock
// traffic runs (one provider fails now and then). The browser asks for a login: any user name, the key below.
//   DASHBOARD_KEY=secret pnpm --filter @llmo/examples run dashboard        # runs for 60 s
//   DURATION_MS=0 pnpm --filter @llmo/examples run dashboard               # one batch, print the snapshot, exit
import { createHash, timingSafeEqual } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Router } from '@llmo/core';
import { authorizeKey, createDashboard, type DashboardSnapshot } from '@llmo/dashboard';
import { createMockProvider } from '@llmo/provider-mock';
import { Hono } from 'hono';

const router = new Router({ strategy: 'round-robin', retry: { maxRetries: 1, initialDelayMs: 5 } });
router.addProvider(
  createMockProvider({
    name: 'gigachat-like',
    model: 'mock-flaky',
    failureRate: 0.2,
    latencyMs: 30,
    pricing: { inputPer1K: 1.5, outputPer1K: 1.5, currency: 'RUB' },
  }),
);
router.addProvider(
  createMockProvider({
    name: 'openai-like',
    latencyMs: 60,
    pricing: { inputPer1K: 0.15, outputPer1K: 0.6, currency: 'USD' },
  }),
);

const key = process.env.DASHBOARD_KEY ?? 'change-me';
// Compared as digests in constant time: how long a wrong guess takes says nothing about the key.
const digest = (text: string) => createHash('sha256').update(text).digest();
const dashboard = createDashboard({
  router,
  authorize: authorizeKey((given) => timingSafeEqual(digest(given), digest(key))),
});
const app = new Hono();
app.get('/', (c) => c.redirect('/dashboard'));
app.route('/dashboard', dashboard);

const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const started = serve(
    { fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.DASHBOARD_PORT ?? 8787) },
    () => resolve(started),
  );
});
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}/dashboard`;
console.log(`dashboard at ${url} (log in with any user name and the key)`);

const until = Date.now() + Number(process.env.DURATION_MS ?? 60_000);
let sent = 0;
do {
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      i % 2 ? router.route(`question ${sent + i}`) : router.routeStream(`question ${sent + i}`).result,
    ),
  );
  sent += 10;
} while (Date.now() < until && sent < 100_000);

// What the page polls when it cannot stream: the same snapshot, as JSON.
const denied = await fetch(`${url}/snapshot`);
const response = await fetch(`${url}/snapshot`, { headers: { authorization: `Bearer ${key}` } });
const snapshot = (await response.json()) as DashboardSnapshot;
console.log(`without the key: ${denied.status}; with it: ${response.status}`);
console.log(`${snapshot.totals.routed} requests routed, ${snapshot.totals.inFlight} in flight`);
for (const provider of snapshot.providers) {
  const w = provider.window;
  console.log(
    `  ${provider.name}: ${provider.health}, circuit ${provider.circuit}, ${w.requests} attempts, ` +
      `${w.errors} failed ${JSON.stringify(w.errorsByKind)}, p50 ${w.latencyP50} ms, cost ${JSON.stringify(w.cost)}`,
  );
}
const latest = snapshot.recentRequests[0];
console.log(
  `  latest request: ${latest?.attempts.map((a) => `${a.provider} ${a.outcome}${a.errorKind ? ` (${a.errorKind})` : ''}`).join(' → ')}`,
);

dashboard.close();
server.close();
await router.close();
