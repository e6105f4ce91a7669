// Router metrics for Prometheus: serves them on http://127.0.0.1:9464/metrics while mock traffic runs.
//   pnpm --filter @llmo/examples run prometheus            # runs for 30 s; point Prometheus (or curl) at it
//   DURATION_MS=0 pnpm --filter @llmo/examples run prometheus   # one batch, print the metrics, exit
import { Router } from '@llmo/core';
import { registerRouterMetrics, startMetricsServer, stopMetricsServer } from '@llmo/prometheus';
import { createMockProvider } from '@llmo/provider-mock';

const router = new Router({ strategy: 'round-robin', retry: { maxRetries: 1, initialDelayMs: 5 } });
router.addProvider(
  createMockProvider({
    name: 'gigachat-like',
    model: 'mock-flaky',
    failureRate: 0.2,
    latencyMs: 20,
    pricing: { inputPer1K: 1.5, outputPer1K: 1.5, currency: 'RUB' },
  }),
);
router.addProvider(
  createMockProvider({
    name: 'openai-like',
    latencyMs: 40,
    pricing: { inputPer1K: 0.15, outputPer1K: 0.6, currency: 'USD' },
  }),
);

// The app's default prom-client registry; pass { registry } to use another.
registerRouterMetrics(router);
const port = Number(process.env.METRICS_PORT ?? 9464);
const server = await startMetricsServer({ port });
console.log(`metrics at ${server.url}`);

const until = Date.now() + Number(process.env.DURATION_MS ?? 30_000);
let sent = 0;
do {
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      i % 2 ? router.route(`question ${sent + i}`) : router.routeStream(`question ${sent + i}`).result,
    ),
  );
  sent += 10;
} while (Date.now() < until && sent < 100_000);

const text = await (await fetch(server.url)).text();
console.log(`${sent} requests routed; some of what Prometheus scrapes:`);
for (const line of text.split('\n')) {
  if (/^llm_(requests_total|cost_total|provider_health|fallbacks_total)/.test(line)) console.log(`  ${line}`);
}
await stopMetricsServer();
await router.close();
