import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsHandler } from './metrics-handler.js';
import { startMetricsServer, stopMetricsServer } from './metrics-server.js';
import { registerRouterMetrics } from './router-metrics.js';

const fast = { latencyMs: 1, chunkDelayMs: 1 };

function router() {
  const r = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
    circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
  });
  r.addProvider(createMockProvider({ name: 'down', model: 'mock-server-error', ...fast }));
  r.addProvider(
    createMockProvider({
      name: 'rub',
      ...fast,
      pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'RUB' },
    }),
  );
  return r;
}

/** One sample's value from the registry, by metric name and labels. */
async function value(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = (
    metric?.values as { value: number; labels: Record<string, unknown>; metricName?: string }[]
  )?.find(
    (v) =>
      (v.metricName === undefined || v.metricName === name || v.metricName === `${name}_count`) &&
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return sample?.value;
}

describe('registerRouterMetrics', () => {
  it("observes each request as it happens, with the seed's names and labels", async () => {
    const registry = new Registry();
    const r = router();
    registerRouterMetrics(r, { registry });
    await r.route('one two three');
    // down: first try + one retry, both errors; rub answers.
    expect(await value(registry, 'llm_requests_total', { provider: 'down', status: 'error' })).toBe(2);
    expect(await value(registry, 'llm_requests_total', { provider: 'rub', status: 'success' })).toBe(1);
    expect(await value(registry, 'llm_errors_total', { provider: 'down', kind: 'server' })).toBe(2);
    expect(await value(registry, 'llm_retries_total', { provider: 'down' })).toBe(1);
    expect(await value(registry, 'llm_fallbacks_total')).toBe(1);
    expect(await value(registry, 'llm_routes_total', { status: 'success' })).toBe(1);
    expect(await value(registry, 'llm_tokens_total', { provider: 'rub', type: 'prompt' })).toBe(3);
    expect(await value(registry, 'llm_tokens_total', { provider: 'rub', type: 'completion' })).toBe(6);
    // 3 prompt tokens at 1 RUB/1K + 6 completion tokens at 2 RUB/1K, labelled with its currency.
    expect(await value(registry, 'llm_cost_total', { provider: 'rub', currency: 'RUB' })).toBeCloseTo(
      0.015,
      10,
    );

    const text = await registry.metrics();
    expect(text).toContain('llm_request_latency_seconds_bucket{le="0.1",provider="rub"} 1');
    expect(text).toMatch(/llm_request_latency_seconds_count\{provider="down"\} 2/);
    for (const le of ['0.1', '0.5', '1', '2', '5', '10', '30', '60', '+Inf'])
      expect(text).toContain(`llm_request_latency_seconds_bucket{le="${le}",provider="rub"}`);
  });

  it("counts the caller's own faults apart from the provider's errors", async () => {
    const registry = new Registry();
    const r = new Router({ onWarning: false, retry: { maxRetries: 0 } }).addProvider(
      createMockProvider({ name: 'strict', model: 'mock-invalid-request', ...fast }),
    );
    registerRouterMetrics(r, { registry });
    await expect(r.route('one two three')).rejects.toThrow();
    expect(await value(registry, 'llm_requests_total', { provider: 'strict', status: 'caller_error' })).toBe(
      1,
    );
    expect(
      await value(registry, 'llm_requests_total', { provider: 'strict', status: 'error' }),
    ).toBeUndefined();
    // Still an error by kind, which says whose it is.
    expect(await value(registry, 'llm_errors_total', { provider: 'strict', kind: 'bad_request' })).toBe(1);
    expect(await value(registry, 'llm_routes_total', { status: 'error' })).toBe(1);
  });

  it("counts the caller's deadline as deadline, and a provider throwing a non-ProviderError as an error", async () => {
    const registry = new Registry();
    const hung = new Router({ onWarning: false, retry: { maxRetries: 0 } }).addProvider(
      createMockProvider({ name: 'hung', latencyMs: 60_000 }),
    );
    const broken = createMockProvider({ name: 'broken', ...fast });
    broken.generate = async () => {
      throw new TypeError('fetch failed'); // an adapter that does not wrap its network failure
    };
    const adapter = new Router({ onWarning: false, retry: { maxRetries: 0 } }).addProvider(broken);
    registerRouterMetrics(hung, { registry });
    registerRouterMetrics(adapter, { registry });
    await expect(hung.route('one two three', { deadlineMs: 300 })).rejects.toThrow();
    // With two providers the first gets a share of the deadline (deadline-share), then the router moves on.
    const shared = new Router({ onWarning: false, retry: { maxRetries: 0 } })
      .addProvider(createMockProvider({ name: 'hung-first', latencyMs: 60_000 }))
      .addProvider(createMockProvider({ name: 'quick', ...fast }));
    registerRouterMetrics(shared, { registry });
    await shared.route('one two three', { deadlineMs: 1000, preferredProvider: 'hung-first' });
    expect(await value(registry, 'llm_requests_total', { provider: 'hung-first', status: 'deadline' })).toBe(
      1,
    );
    await shared.close({ timeoutMs: 0 });
    await expect(adapter.route('one two three')).rejects.toThrow();
    expect(await value(registry, 'llm_requests_total', { provider: 'hung', status: 'deadline' })).toBe(1);
    expect(await value(registry, 'llm_requests_total', { provider: 'broken', status: 'error' })).toBe(1);
    for (const provider of ['hung', 'broken'])
      expect(
        await value(registry, 'llm_requests_total', { provider, status: 'caller_error' }),
      ).toBeUndefined();
    await hung.close({ timeoutMs: 0 });
    await adapter.close({ timeoutMs: 0 });
  });

  it('counters only increase; streams record time to first token', async () => {
    const registry = new Registry();
    const r = router();
    registerRouterMetrics(r, { registry });
    let previous = 0;
    for (let i = 0; i < 3; i++) {
      for await (const _ of r.routeStream('hi there')) void _;
      const now = (await value(registry, 'llm_requests_total', { provider: 'rub', status: 'success' })) ?? 0;
      expect(now).toBeGreaterThan(previous);
      previous = now;
    }
    expect(await registry.metrics()).toMatch(/llm_time_to_first_token_seconds_count\{provider="rub"\} 3/);
  });

  it('a stream the consumer stops counts the tokens and cost it consumed, as its usage record does', async () => {
    const registry = new Registry();
    const r = new Router({ onWarning: false }).addProvider(
      createMockProvider({
        name: 'rub',
        ...fast,
        response: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '),
        pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'RUB' },
      }),
    );
    registerRouterMetrics(r, { registry });
    const stream = r.routeStream('tell me everything');
    let seen = 0;
    for await (const _ of stream) if (++seen === 20) break;
    await stream.result.catch(() => {});
    expect(await value(registry, 'llm_requests_total', { provider: 'rub', status: 'cancelled' })).toBe(1);
    expect(await value(registry, 'llm_tokens_total', { provider: 'rub', type: 'prompt' })).toBeGreaterThan(0);
    expect(
      await value(registry, 'llm_tokens_total', { provider: 'rub', type: 'completion' }),
    ).toBeGreaterThan(0);
    expect(await value(registry, 'llm_cost_total', { provider: 'rub', currency: 'RUB' })).toBeGreaterThan(0);
  });

  it('circuit state is read at scrape time', async () => {
    const registry = new Registry();
    const r = router();
    registerRouterMetrics(r, { registry });
    expect(await value(registry, 'llm_circuit_breaker_state', { provider: 'down' })).toBe(0);
    // Failures open down's breaker (failureThreshold 2); bounded loop.
    for (let i = 0; i < 5 && r.getMetrics().down!.circuit !== 'open'; i++) await r.route('a');
    expect(r.getMetrics().down!.circuit).toBe('open');
    expect(await value(registry, 'llm_circuit_breaker_state', { provider: 'down' })).toBe(2);
    expect(await value(registry, 'llm_circuit_breaker_state', { provider: 'rub' })).toBe(0);
  });

  it('health is read at scrape time: 1 healthy, 0 unhealthy', async () => {
    const registry = new Registry();
    const r = new Router({ strategy: 'first-available', retry: { maxRetries: 0 }, circuitBreaker: false });
    r.addProvider(createMockProvider({ name: 'down', model: 'mock-server-error', ...fast }));
    r.addProvider(createMockProvider({ name: 'up', ...fast }));
    registerRouterMetrics(r, { registry });
    expect(await value(registry, 'llm_provider_health', { provider: 'down' })).toBe(1);
    for (let i = 0; i < 6; i++) await r.route('a'); // ≥ 5 requests, all failed on down
    expect(await value(registry, 'llm_provider_health', { provider: 'down' })).toBe(0);
    expect(await value(registry, 'llm_provider_health', { provider: 'up' })).toBe(1);
  });

  it('two routers share one registry; close() stops observing', async () => {
    const registry = new Registry();
    const a = router();
    const b = router();
    const ma = registerRouterMetrics(a, { registry });
    registerRouterMetrics(b, { registry });
    await a.route('x');
    await b.route('x');
    expect(await value(registry, 'llm_routes_total', { status: 'success' })).toBe(2);
    ma.close();
    ma.close();
    await a.route('x');
    expect(await value(registry, 'llm_routes_total', { status: 'success' })).toBe(2);
  });

  it('counts usage records that were dropped or given up', async () => {
    const registry = new Registry();
    let refuse!: (error: Error) => void;
    const r = new Router({
      onWarning: false,
      // The first record stays in flight (the queue of one is full), then the sink refuses it for good.
      usageCallback: () =>
        new Promise<void>((_, reject) => {
          refuse = reject;
        }),
      usageDelivery: { maxQueueSize: 1, concurrency: 1 },
      callbackTimeoutMs: 600_000, // the first try must stay pending until refuse(), however slow the machine
    });
    r.addProvider(createMockProvider({ name: 'a', ...fast }));
    registerRouterMetrics(r, { registry });
    await r.route('one');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await r.route('two');
    await r.route('three');
    refuse(Object.assign(new Error('billing refused it'), { retryable: false }));
    await r.close({ timeoutMs: 2_000 });
    const dropped = (await value(registry, 'llm_usage_records_undelivered_total', {
      outcome: 'dropped',
      reason: 'queue-full',
    })) as number;
    const failed = (await value(registry, 'llm_usage_records_undelivered_total', {
      outcome: 'failed',
      reason: 'rejected',
    })) as number;
    expect(dropped).toBe(2);
    expect(failed).toBe(1);
  });

  it('labels carry no prompt text (bounded cardinality)', async () => {
    const registry = new Registry();
    const r = router();
    registerRouterMetrics(r, { registry });
    await r.route('secret prompt about user 12345');
    const text = await registry.metrics();
    expect(text).not.toMatch(/secret|12345/);
  });
});

describe('metrics server and handler', () => {
  afterEach(() => stopMetricsServer());

  it('serves the registry with the Prometheus content type; starting twice is an error; stop is idempotent', async () => {
    const registry = new Registry();
    registerRouterMetrics(router(), { registry });
    const server = await startMetricsServer({ port: 0, registry });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toContain('# TYPE llm_requests_total counter');
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    await expect(startMetricsServer({ port: 0, registry })).rejects.toThrow(/already running/);
    await stopMetricsServer();
    await stopMetricsServer();
  });

  it('a busy port gives a clear error', async () => {
    const first = await startMetricsServer({ port: 0 });
    await stopMetricsServer();
    const { createServer } = await import('node:http');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(first.port, '127.0.0.1', resolve));
    try {
      await expect(startMetricsServer({ port: first.port })).rejects.toThrow(
        new RegExp(`port ${first.port} on 127.0.0.1 is already in use`),
      );
      // A failed start leaves nothing running: the next start works.
      await expect(startMetricsServer({ port: 0 })).resolves.toMatchObject({ port: expect.any(Number) });
    } finally {
      blocker.close();
    }
  });

  it('the handler mounts on an existing server', async () => {
    const registry = new Registry();
    registerRouterMetrics(router(), { registry });
    const { createServer } = await import('node:http');
    const handler = createMetricsHandler(registry);
    const app = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const port = (app.address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/anything`);
      expect(res.headers.get('content-type')).toContain('version=0.0.4');
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' })).status).toBe(405);
    } finally {
      app.closeAllConnections();
      app.close();
    }
  });
});
