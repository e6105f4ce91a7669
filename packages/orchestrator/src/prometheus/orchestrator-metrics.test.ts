import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../index.js';
import { registerOrchestratorMetrics } from '../prometheus.js';

describe('registerOrchestratorMetrics', () => {
  it('counts requests, tokens, cost, cache hits, errors and retries with a task label', async () => {
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
    const metrics = registerOrchestratorMetrics(orchestrator, { registry });
    // A second registration on the same registry reuses the metrics instead of throwing.
    registerOrchestratorMetrics(orchestrator, { registry }).close();

    await orchestrator.process({ taskType: 'chat', variables: { input: 'one two' } });
    await orchestrator.process({ taskType: 'chat', variables: { input: 'one two' } });
    await orchestrator.process({ taskType: 'strict', variables: { input: 'x' } }).catch(() => {});
    const text = await registry.metrics();
    expect(text).toContain(
      'llm_task_requests_total{task_type="chat",model="mock-normal",status="success"} 2',
    );
    expect(text).toContain(
      'llm_task_requests_total{task_type="strict",model="mock-normal",status="error"} 1',
    );
    expect(text).toContain('llm_task_cache_hits_total{task_type="chat",kind="hit"} 1');
    expect(text).toContain('llm_task_cache_misses_total{task_type="chat"} 1');
    expect(text).toMatch(
      /llm_task_tokens_total\{task_type="chat",model="mock-normal",type="completion"\} \d+/,
    );
    expect(text).toMatch(/llm_task_cost_total\{task_type="chat",currency="USD"\} 0\.\d+/);
    expect(text).toMatch(/llm_task_cache_saved_cost_total\{task_type="chat",currency="USD"\} 0\.\d+/);
    expect(text).toContain(
      'llm_task_errors_total{task_type="strict",model="mock-normal",error_type="ResponseValidationError"} 1',
    );
    expect(text).toContain('llm_task_validation_retries_total{task_type="strict"} 1');
    expect(text).toContain('llm_task_latency_seconds_count{task_type="chat",model="mock-normal"} 2');

    metrics.close();
    await orchestrator.process({ taskType: 'chat', variables: { input: 'three' } });
    expect(await registry.metrics()).toContain(
      'llm_task_requests_total{task_type="chat",model="mock-normal",status="success"} 2',
    );
    await router.close();
  });

  it('a listener that throws never breaks a request', async () => {
    const router = new Router({ onWarning: false });
    router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0 }));
    const warnings: string[] = [];
    const orchestrator = createOrchestrator({
      router,
      tasks: { chat: {} },
      onWarning: (m) => warnings.push(m),
    });
    orchestrator.on('request-end', () => {
      throw new Error('sink down');
    });
    expect((await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } })).value).toBe(
      'Mock response to: hi',
    );
    expect(warnings).toEqual(['a request-end listener threw: sink down']);
    await router.close();
  });
});
