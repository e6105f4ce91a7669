// Runs examples/prometheus.ts for one batch on a free port and asserts the metrics it prints.
import { expect, it } from 'vitest';
import { runExample } from './run-example.test-helper.js';

it('prometheus serves router metrics with cost per currency', async () => {
  const stdout = await runExample('prometheus.ts', { DURATION_MS: '0', METRICS_PORT: '0' });
  expect(stdout).toMatch(/metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
  expect(stdout).toContain('10 requests routed');
  expect(stdout).toMatch(/llm_requests_total\{provider="openai-like",status="success"\} \d+/);
  expect(stdout).toMatch(/llm_cost_total\{provider="gigachat-like",currency="RUB"\}/);
  expect(stdout).toMatch(/llm_provider_health\{provider="openai-like"\} 1/);
}, 60_000);
