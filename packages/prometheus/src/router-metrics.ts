import type { BaseRouter, ProviderMetricsView } from '@llmo/core';
import { Counter, register as defaultRegistry, Gauge, Histogram, type Registry } from 'prom-client';
import { CIRCUIT_VALUE, HEALTH_VALUE, LATENCY_BUCKETS, METRICS, TTFT_BUCKETS } from './metric-names.js';

export interface RouterMetricsOptions {
  /** Where the metrics live. Default: prom-client's global registry, which most apps already expose. */
  registry?: Registry;
}

export interface RouterMetrics {
  readonly registry: Registry;
  /** Stops observing this router (the metrics stay registered, with their values). Idempotent. */
  close(): void;
}

type Metrics = ReturnType<typeof createMetrics>;

/** Routers observed per registry: the health and circuit gauges read them all at scrape time. */
const observed = new WeakMap<Registry, { metrics: Metrics; routers: Set<BaseRouter> }>();

/** Get-or-create: several routers (or a hot reload) can share one registry without "already registered". */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

function createMetrics(registry: Registry) {
  const registers = [registry];
  const routersOf = () => observed.get(registry)?.routers ?? new Set<BaseRouter>();
  /** A per-provider gauge computed at scrape time from every observed router's `getMetrics()`. */
  const scrapeGauge = (name: string, help: string, read: (view: ProviderMetricsView) => number) =>
    metric(
      registry,
      name,
      () =>
        new Gauge({
          name,
          help,
          labelNames: ['provider'] as const,
          registers,
          collect() {
            // Reset first, so a provider removed from its router stops being reported.
            this.reset();
            for (const router of routersOf()) {
              for (const [provider, view] of Object.entries(router.getMetrics())) {
                this.set({ provider }, read(view));
              }
            }
          },
        }),
    );
  return {
    requests: metric(
      registry,
      METRICS.requests,
      () =>
        new Counter({
          name: METRICS.requests,
          help: 'Requests sent to each provider (one per attempt), by outcome: success, error (the provider), caller_error (input the provider refused), deadline (the caller deadline passed) or cancelled',
          labelNames: ['provider', 'status'] as const,
          registers,
        }),
    ),
    latency: metric(
      registry,
      METRICS.latency,
      () =>
        new Histogram({
          name: METRICS.latency,
          help: 'Latency of each request to a provider, in seconds (whole answer; failures included)',
          labelNames: ['provider'] as const,
          buckets: LATENCY_BUCKETS,
          registers,
        }),
    ),
    tokens: metric(
      registry,
      METRICS.tokens,
      () =>
        new Counter({
          name: METRICS.tokens,
          help: 'Tokens used, by provider and type (prompt or completion)',
          labelNames: ['provider', 'type'] as const,
          registers,
        }),
    ),
    cost: metric(
      registry,
      METRICS.cost,
      () =>
        new Counter({
          name: METRICS.cost,
          help: 'Cost of answered requests, in the provider price currency (never sum across currencies)',
          labelNames: ['provider', 'currency'] as const,
          registers,
        }),
    ),
    ttft: metric(
      registry,
      METRICS.ttft,
      () =>
        new Histogram({
          name: METRICS.ttft,
          help: 'Time to first token of streamed requests, in seconds',
          labelNames: ['provider'] as const,
          buckets: TTFT_BUCKETS,
          registers,
        }),
    ),
    errors: metric(
      registry,
      METRICS.errors,
      () =>
        new Counter({
          name: METRICS.errors,
          help: 'Failed requests to a provider, by error kind (rate_limit, timeout, server, auth…)',
          labelNames: ['provider', 'kind'] as const,
          registers,
        }),
    ),
    retries: metric(
      registry,
      METRICS.retries,
      () =>
        new Counter({
          name: METRICS.retries,
          help: 'Retries of the same provider after a retryable failure',
          labelNames: ['provider'] as const,
          registers,
        }),
    ),
    fallbacks: metric(
      registry,
      METRICS.fallbacks,
      () =>
        new Counter({
          name: METRICS.fallbacks,
          help: 'Times the router moved on to another provider',
          registers,
        }),
    ),
    routes: metric(
      registry,
      METRICS.routes,
      () =>
        new Counter({
          name: METRICS.routes,
          help: 'Routed requests (all their attempts together), by outcome',
          labelNames: ['status'] as const,
          registers,
        }),
    ),
    usageUndelivered: metric(
      registry,
      METRICS.usageUndelivered,
      () =>
        new Counter({
          name: METRICS.usageUndelivered,
          help: 'Usage records not delivered to the usage sink: outcome dropped (queue full, closed) or failed (refused, out of retries)',
          labelNames: ['outcome', 'reason'] as const,
          registers,
        }),
    ),
    health: scrapeGauge(
      METRICS.health,
      'Provider health as the router sees it: 1 healthy, 0.5 degraded, 0 unhealthy',
      (view) => HEALTH_VALUE[view.health],
    ),
    circuit: scrapeGauge(
      METRICS.circuit,
      'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open',
      (view) => CIRCUIT_VALUE[view.circuit],
    ),
  };
}

/**
 * Observes a router's events into Prometheus metrics as they happen. Labels are the provider name, a status,
 * an error kind, a token type or a currency — never a prompt, a model answer or a user id — so cardinality is
 * bounded by the number of providers.
 */
export function registerRouterMetrics(router: BaseRouter, options: RouterMetricsOptions = {}): RouterMetrics {
  const registry = options.registry ?? defaultRegistry;
  let entry = observed.get(registry);
  if (!entry) {
    entry = { metrics: createMetrics(registry), routers: new Set() };
    observed.set(registry, entry);
  }
  const { metrics: m, routers } = entry;
  routers.add(router);

  const unsubscribe = [
    router.on('attempt-end', (e) => {
      m.requests.inc({ provider: e.provider, status: 'success' });
      m.latency.observe({ provider: e.provider }, e.latencyMs / 1000);
      m.tokens.inc({ provider: e.provider, type: 'prompt' }, e.usage.promptTokens);
      m.tokens.inc({ provider: e.provider, type: 'completion' }, e.usage.completionTokens);
      m.cost.inc({ provider: e.provider, currency: e.cost.currency }, e.cost.amount);
    }),
    router.on('attempt-error', (e) => {
      const cancelled = e.errorKind === 'cancelled';
      const status = cancelled ? 'cancelled' : attemptStatus(e);
      m.requests.inc({ provider: e.provider, status });
      m.latency.observe({ provider: e.provider }, e.latencyMs / 1000);
      if (!cancelled) m.errors.inc({ provider: e.provider, kind: e.errorKind });
      if (e.willRetry) m.retries.inc({ provider: e.provider });
      // A stream cut short after it began answering consumed (and is billed for) its prompt and text so far.
      if (e.usage) {
        m.tokens.inc({ provider: e.provider, type: 'prompt' }, e.usage.promptTokens);
        m.tokens.inc({ provider: e.provider, type: 'completion' }, e.usage.completionTokens);
      }
      if (e.cost && e.cost.amount > 0)
        m.cost.inc({ provider: e.provider, currency: e.cost.currency }, e.cost.amount);
    }),
    router.on('first-chunk', (e) => m.ttft.observe({ provider: e.provider }, e.ttftMs / 1000)),
    router.on('route-end', (e) => {
      m.routes.inc({ status: e.success ? 'success' : 'error' });
      if (e.fallbacks > 0) m.fallbacks.inc(e.fallbacks);
    }),
    // Lost billing data must be visible on a dashboard, not only in a log line.
    router.on('usage-dropped', (e) => m.usageUndelivered.inc({ outcome: 'dropped', reason: e.reason })),
    router.on('usage-failed', (e) => m.usageUndelivered.inc({ outcome: 'failed', reason: e.reason })),
  ];

  let closed = false;
  return {
    registry,
    close() {
      if (closed) return;
      closed = true;
      for (const off of unsubscribe) off();
      routers.delete(router);
    },
  };
}

/**
 * `llm_requests_total`'s status of a failed attempt (not cancelled). A request the provider refused because the
 * caller's input was bad is `caller_error`: an error-rate alert must not fire because one caller sends bad
 * input. The caller's deadline passing is `deadline`, apart from both: it is the caller's limit, but a provider
 * that hangs shows there first (the router keeps it out of health, so this is where it is visible). A provider
 * throwing something that is not a `ProviderError` is `error`: the router treats it as the caller's (a request
 * the provider could not build), but it is as often a broken adapter or an unwrapped network failure. Cores
 * without `callerFault` / `errorCode` on `attempt-error` count every failure as `error`.
 */
function attemptStatus(e: { errorKind: string; errorCode?: string; callerFault?: boolean }): string {
  if (e.callerFault !== true) return 'error';
  // `deadline-share`: the attempt ran out of its share of the deadline, and the router moved on.
  if (e.errorCode === 'deadline-exceeded' || e.errorCode === 'deadline-share') return 'deadline';
  if (e.errorCode === 'invalid-request') return 'error';
  return 'caller_error';
}
