// The shipped Grafana dashboard's task row queries @llmo/orchestrator's metrics: every `llm_task_*` name and
// every label it groups by must be what `registerOrchestratorMetrics` really registers, or a panel would be
// silently empty. (prometheus-scrape.test.ts runs the same queries against a real Prometheus.)
import { readFileSync } from 'node:fs';
import { Router } from '@llmo/core';
import { createOrchestrator } from '@llmo/orchestrator';
import { registerOrchestratorMetrics } from '@llmo/orchestrator/prometheus';
import { createMockProvider } from '@llmo/provider-mock';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

interface Panel {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync(new URL('../grafana-dashboard.json', import.meta.url), 'utf8')) as {
  panels: Panel[];
};
/** Top-level panels and those inside collapsed rows. */
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const taskExprs = exprs.filter((e) => e.includes('llm_task_'));

/** Histogram series names are the metric's name plus one of these. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** An orchestrator counting into a fresh registry, with a task that fails validation every time. */
function setup() {
  const router = new Router({ onWarning: false });
  router.addProvider(
    createMockProvider({
      name: 'mock',
      model: 'mock-normal',
      latencyMs: 0,
      pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'USD' },
    }),
  );
  const orchestrator = createOrchestrator({
    router,
    tasks: { chat: { cacheTtlMs: 60_000 }, strict: { maxValidationRetries: 1 } },
    onWarning: false,
  });
  orchestrator.registerValidator('strict', () => 'never good enough');
  const registry = new Registry();
  registerOrchestratorMetrics(orchestrator, { registry });
  cleanups.push(async () => {
    await router.close();
  });
  return { orchestrator, registry };
}

/** Metric names (histograms expanded to their series) and each one's label names, from the registry. */
async function registered(registry: Registry) {
  const labels = new Map<string, Set<string>>();
  for (const metric of await registry.getMetricsAsJSON()) {
    // prom-client types `type` as an enum; at run time it is the exposition's type name.
    const histogram = String(metric.type) === 'histogram';
    const names = histogram
      ? [metric.name, ...HISTOGRAM_SUFFIXES.map((s) => metric.name + s)]
      : [metric.name];
    const labelNames = new Set(metric.values.flatMap((v) => Object.keys(v.labels)));
    if (histogram) labelNames.add('le');
    for (const name of names) labels.set(name, labelNames);
  }
  return labels;
}

/** The series names in the exposition text that have at least one sample. */
const sampled = (text: string) =>
  new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]!),
  );

describe('the Grafana dashboard, task row', () => {
  it('has a "Tasks (@llmo/orchestrator)" row with the six task panels below every other panel', () => {
    const row = dashboard.panels.find((p) => p.type === 'row' && p.title === 'Tasks (@llmo/orchestrator)');
    expect(row).toBeDefined();
    const below = dashboard.panels.filter((p) => p.gridPos.y > row!.gridPos.y);
    expect(below.map((p) => p.title)).toEqual([
      'Task requests by status (req/s)',
      'Task latency p50 / p95',
      'Task tokens by type (per second)',
      'Task cost and cache savings per currency (last hour)',
      'Task cache hits / misses (per second)',
      'Task validation retries and errors (per second)',
    ]);
    for (const p of below) expect((p.targets ?? []).every((t) => t.expr.includes('llm_task_'))).toBe(true);
    // Router panels never query task metrics, and the task panels never overlap the router ones.
    const above = dashboard.panels.filter((p) => p.gridPos.y < row!.gridPos.y);
    expect(above.every((p) => p.gridPos.y + p.gridPos.h <= row!.gridPos.y)).toBe(true);
    expect(taskExprs.length).toBe(below.flatMap((p) => p.targets ?? []).length);
  });

  it('every llm_task_* name it queries is registered by the orchestrator after one request', async () => {
    const { orchestrator, registry } = setup();
    await orchestrator.process({ taskType: 'chat', variables: { input: 'one two' } });
    const known = await registered(registry);
    const used = new Set(taskExprs.flatMap((e) => e.match(/\bllm_task_\w+/g) ?? []));
    // All nine of the orchestrator's metrics are on the dashboard.
    expect(used.size).toBe(9);
    for (const name of used) expect(known.has(name), `${name} is not registered`).toBe(true);
  });

  it('every series and label it queries has samples once requests hit, miss and fail validation', async () => {
    const { orchestrator, registry } = setup();
    await orchestrator.process({ taskType: 'chat', variables: { input: 'one two' } });
    await orchestrator.process({ taskType: 'chat', variables: { input: 'one two' } });
    await orchestrator.process({ taskType: 'strict', variables: { input: 'x' } }).catch(() => {});
    const text = await registry.metrics();
    const withSamples = sampled(text);
    const known = await registered(registry);
    for (const expr of taskExprs) {
      for (const name of expr.match(/\bllm_task_\w+/g) ?? [])
        expect(withSamples.has(name), `${name} (in ${expr}) has no samples`).toBe(true);
      const metric = expr.match(/\bllm_task_\w+/)![0];
      for (const by of expr.matchAll(/\bby \(([^)]*)\)/g)) {
        for (const label of by[1]!.split(',').map((l) => l.trim())) {
          expect(known.get(metric)?.has(label), `${expr} groups by "${label}", which ${metric} lacks`).toBe(
            true,
          );
        }
      }
    }
  });
});
