// A real Prometheus (Debian's package; scripts/ensure-prometheus.mjs installs it) scrapes a router under load
// from mock providers, and PromQL through its HTTP API returns the series and counts the router produced.
import { readFileSync } from 'node:fs';
import { Router } from '@llmo/core';
import { createOrchestrator } from '@llmo/orchestrator';
import { registerOrchestratorMetrics } from '@llmo/orchestrator/prometheus';
import { createMockProvider } from '@llmo/provider-mock';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer, stopMetricsServer } from './metrics-server.js';
import { type PrometheusServer, startPrometheus } from './prometheus-server.test-helper.js';
import { registerRouterMetrics } from './router-metrics.js';

const REQUESTS = 120;
const CONCURRENCY = 8;

let prometheus: PrometheusServer;
let registry: Registry;
let router: Router;
/** A second router, not registered here, behind an orchestrator whose task metrics share the registry. */
let taskRouter: Router;
const TASK_REQUESTS = 6;
/** Requests on two more routers, each failing by the caller's fault (per round: bad input, a deadline). */
let callerRouter: Router;
let hungRouter: Router;
const CALLER_FAULTS = 2;

/** What prom-client holds for a counter, summed over the series that match `labels`. */
async function local(name: string, labels: Record<string, string> = {}) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
const numberOf = (result: { value: [number, string] }[]) => Number(result[0]?.value[1] ?? Number.NaN);

beforeAll(async () => {
  registry = new Registry();
  router = new Router({
    strategy: 'round-robin',
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
    circuitBreaker: false,
    seed: 7,
  });
  const fast = { latencyMs: 2, chunkDelayMs: 1 };
  router.addProvider(
    createMockProvider({
      name: 'gigachat-like',
      model: 'mock-flaky',
      failureRate: 0.3,
      seed: 3,
      pricing: { inputPer1K: 1.5, outputPer1K: 1.5, currency: 'RUB' },
      ...fast,
    }),
  );
  router.addProvider(
    createMockProvider({
      name: 'openai-like',
      pricing: { inputPer1K: 0.15, outputPer1K: 0.6, currency: 'USD' },
      ...fast,
    }),
  );
  registerRouterMetrics(router, { registry });
  taskRouter = new Router({ onWarning: false });
  taskRouter.addProvider(
    createMockProvider({
      name: 'task-mock',
      latencyMs: 0,
      pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'USD' },
    }),
  );
  const orchestrator = createOrchestrator({
    router: taskRouter,
    tasks: { chat: { cacheTtlMs: 60_000 }, strict: { maxValidationRetries: 1 } },
    onWarning: false,
  });
  orchestrator.registerValidator('strict', () => 'never good enough');
  registerOrchestratorMetrics(orchestrator, { registry });
  const server = await startMetricsServer({ port: 0, registry });
  prometheus = await startPrometheus(`127.0.0.1:${server.port}`);

  // Bounded load: REQUESTS calls (a third of them streamed), CONCURRENCY at a time.
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        if (i % 3 === 0) for await (const _ of router.routeStream(`question ${i} about routing`)) void _;
        else await router.route(`question ${i} about routing`);
      }
    }),
  );
  // Task traffic for the dashboard's task row: misses, exact hits and validation failures.
  for (let i = 0; i < TASK_REQUESTS; i++) {
    if (i % 3 === 2)
      await orchestrator.process({ taskType: 'strict', variables: { input: 'x' } }).catch(() => {});
    else await orchestrator.process({ taskType: 'chat', variables: { input: `question ${i % 2}` } });
  }
  // The caller's faults, on routers of their own sharing the registry: input the provider refuses, and a
  // provider that hangs past the caller's deadline (alone on its router, so the request has nowhere to go on).
  callerRouter = new Router({ onWarning: false, retry: { maxRetries: 0 } }).addProvider(
    createMockProvider({ name: 'strict', model: 'mock-invalid-request', latencyMs: 0 }),
  );
  hungRouter = new Router({ onWarning: false, retry: { maxRetries: 0 } }).addProvider(
    createMockProvider({ name: 'hung', latencyMs: 60_000 }),
  );
  registerRouterMetrics(callerRouter, { registry });
  registerRouterMetrics(hungRouter, { registry });
  for (let i = 0; i < CALLER_FAULTS; i++) {
    await callerRouter.route('bad input').catch(() => {});
    await hungRouter.route('in a hurry', { deadlineMs: 300 }).catch(() => {});
  }
  // Wait (bounded) until a scrape after the load has landed.
  await prometheus.waitFor('sum(llm_routes_total)', (r) => numberOf(r) === REQUESTS + 2 * CALLER_FAULTS);
  await prometheus.waitFor('sum(llm_task_requests_total)', (r) => numberOf(r) === TASK_REQUESTS);
}, 120_000);

afterAll(async () => {
  await taskRouter?.close();
  await callerRouter?.close({ timeoutMs: 0 });
  await hungRouter?.close({ timeoutMs: 0 });
  await prometheus?.stop();
  await stopMetricsServer();
});

describe('a real Prometheus scraping a router under load', () => {
  it('counts every routed request', async () => {
    expect(numberOf(await prometheus.query('sum(llm_routes_total)'))).toBe(REQUESTS + 2 * CALLER_FAULTS);
    expect(numberOf(await prometheus.query('sum(llm_routes_total{status="success"})'))).toBe(
      await local('llm_routes_total', { status: 'success' }),
    );
  });

  it('llm_requests_total per provider and status equals what the router observed', async () => {
    const series = await prometheus.query('sum by (provider, status) (llm_requests_total)');
    expect(series.length).toBeGreaterThanOrEqual(3); // both providers succeeded; the flaky one also failed
    for (const { metric, value } of series) {
      expect(Number(value[1])).toBe(await local('llm_requests_total', metric));
    }
    const errors = numberOf(await prometheus.query('sum(llm_requests_total{status="error"})'));
    expect(errors).toBeGreaterThan(0);
    expect(numberOf(await prometheus.query('sum(llm_errors_total{kind="server"})'))).toBe(errors);
    // The caller's faults are apart from the providers' errors (the error-rate panel reads status="error").
    const callerStatus = await prometheus.query(
      'sum by (provider, status) (llm_requests_total{provider=~"strict|hung"})',
    );
    expect(
      callerStatus.map(({ metric, value }) => `${metric.provider}:${metric.status}:${value[1]}`).sort(),
    ).toEqual([`hung:deadline:${CALLER_FAULTS}`, `strict:caller_error:${CALLER_FAULTS}`]);
  });

  it('every request latency is in the histogram, with the seed buckets', async () => {
    const count = numberOf(await prometheus.query('sum(llm_request_latency_seconds_count)'));
    expect(count).toBe(await local('llm_requests_total'));
    const buckets = await prometheus.query('count by (le) (llm_request_latency_seconds_bucket)');
    expect(buckets.map((b) => b.metric.le).sort()).toEqual(
      ['+Inf', '0.1', '0.5', '1', '10', '2', '30', '5', '60'].sort(),
    );
    const p50 = await prometheus.query(
      'histogram_quantile(0.5, sum by (le) (llm_request_latency_seconds_bucket))',
    );
    expect(numberOf(p50)).toBeGreaterThan(0);
  });

  it('cost is kept per currency, never summed across them', async () => {
    const byCurrency = await prometheus.query('sum by (currency) (llm_cost_total)');
    expect(byCurrency.map((s) => s.metric.currency).sort()).toEqual(['RUB', 'USD']);
    for (const { metric, value } of byCurrency) {
      expect(Number(value[1])).toBeCloseTo(await local('llm_cost_total', { currency: metric.currency! }), 9);
    }
  });

  it('tokens, time to first token, retries, fallbacks and health are there', async () => {
    const tokens = await prometheus.query('sum by (type) (llm_tokens_total)');
    expect(tokens.map((s) => s.metric.type).sort()).toEqual(['completion', 'prompt']);
    expect(numberOf(await prometheus.query('sum(llm_time_to_first_token_seconds_count)'))).toBe(
      Math.ceil(REQUESTS / 3),
    );
    expect(numberOf(await prometheus.query('sum(llm_retries_total)'))).toBe(await local('llm_retries_total'));
    expect(numberOf(await prometheus.query('sum(llm_fallbacks_total)'))).toBe(
      await local('llm_fallbacks_total'),
    );
    const health = await prometheus.query('llm_provider_health');
    expect(health.map((s) => s.metric.provider).sort()).toEqual([
      'gigachat-like',
      'hung',
      'openai-like',
      'strict',
    ]);
    for (const { value } of health) expect([0, 0.5, 1]).toContain(Number(value[1]));
    // The caller's faults never cost a provider its health.
    for (const { metric, value } of health)
      if (metric.provider === 'strict' || metric.provider === 'hung') expect(Number(value[1])).toBe(1);
  });

  it('every query in the Grafana dashboard evaluates without error', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../grafana-dashboard.json', import.meta.url), 'utf8'),
    ) as {
      panels: { title: string; targets?: { expr: string }[]; panels?: { targets?: { expr: string }[] }[] }[];
    };
    // Row panels have no queries of their own; a collapsed row holds its panels.
    const exprs = dashboard.panels
      .flatMap((p) => [p, ...(p.panels ?? [])])
      .flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(20);
    for (const expr of exprs) await expect(prometheus.query(expr), expr).resolves.toBeInstanceOf(Array);
    // And the request-rate panels (router and tasks) have data once two scrapes hold the counters (rate needs
    // two samples).
    const taskRequests = exprs.find((e) => e.includes('llm_task_requests_total'))!;
    for (const expr of [exprs[0]!, taskRequests])
      expect((await prometheus.waitFor(expr, (r) => r.length > 0, 15_000)).length, expr).toBeGreaterThan(0);
  });
});
