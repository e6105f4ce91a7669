import { describe, expect, it } from 'vitest';
import { semanticThresholdWarnings } from './semantic-threshold-warnings.js';
import { TaskRegistry } from './task-registry.js';

const embed = async () => [1, 0];

describe('semanticThresholdWarnings', () => {
  it('names each task whose threshold would be ignored, and why', () => {
    const tasks = new TaskRegistry({
      plain: {},
      cached: { semanticThreshold: 0.9, cacheTtlMs: 60_000 },
      uncached: { semanticThreshold: 0.9 },
    });
    expect(semanticThresholdWarnings(tasks, { semanticCache: { embed } })).toEqual([
      'task "uncached": semanticThreshold is ignored without a cache (cacheTtlMs > 0 and cache not false): the similar answers live in it',
    ]);
    expect(semanticThresholdWarnings(tasks, { semanticCache: { embed }, cache: false })).toEqual([
      expect.stringContaining('task "cached": semanticThreshold is ignored without a cache'),
      expect.stringContaining('task "uncached": semanticThreshold is ignored without a cache'),
    ]);
    expect(semanticThresholdWarnings(tasks, {})).toEqual([
      `task "cached": semanticThreshold is ignored without the orchestrator's semanticCache option ({ embed })`,
      `task "uncached": semanticThreshold is ignored without the orchestrator's semanticCache option ({ embed })`,
    ]);
  });
});

describe('an orchestrator warns about an ignored semanticThreshold', () => {
  it('for a task added after construction, once, when it is first processed', async () => {
    const { Router } = await import('@llmo/core');
    const { createMockProvider } = await import('@llmo/provider-mock');
    const { createOrchestrator } = await import('../orchestrator.js');
    const router = new Router({ onWarning: false }).addProvider(
      createMockProvider({ name: 'mock', latencyMs: 0 }),
    );
    const warnings: string[] = [];
    const orchestrator = createOrchestrator({
      router,
      tasks: { early: { semanticThreshold: 0.9, cacheTtlMs: 60_000 } },
      templates: [{ id: 'ask', version: '1', user: '{{ q }}', requiredVariables: ['q'] }],
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([expect.stringContaining('task "early": semanticThreshold is ignored')]);
    orchestrator.tasks.add('late', { semanticThreshold: 0.9, cacheTtlMs: 60_000 });
    await orchestrator.process({ taskType: 'late', templateId: 'ask', variables: { q: 'hi' } });
    await orchestrator.process({ taskType: 'late', templateId: 'ask', variables: { q: 'again' } });
    await orchestrator.process({ taskType: 'early', templateId: 'ask', variables: { q: 'hi' } });
    expect(warnings).toEqual([
      expect.stringContaining('task "early": semanticThreshold is ignored'),
      expect.stringContaining('task "late": semanticThreshold is ignored'),
    ]);
    await router.close();
  });
});
