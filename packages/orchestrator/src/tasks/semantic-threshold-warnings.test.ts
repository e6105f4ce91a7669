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
