import type { OrchestratorOptions } from '../orchestrator-options.js';
import type { TaskRegistry } from './task-registry.js';

/**
 * A warning per task whose `semanticThreshold` would be ignored. A semantic threshold needs both the cache
 * (cacheTtlMs > 0: the answers live in it) and an embedder; without them it would be silently ignored.
 */
export function semanticThresholdWarnings(
  tasks: TaskRegistry,
  options: Pick<OrchestratorOptions, 'cache' | 'semanticCache'>,
): string[] {
  const warnings: string[] = [];
  for (const taskType of tasks.types()) {
    const task = tasks.get(taskType);
    if (task.semanticThreshold === undefined) continue;
    if (!options.semanticCache)
      warnings.push(
        `task "${taskType}": semanticThreshold is ignored without the orchestrator's semanticCache option ({ embed })`,
      );
    else if (!((task.cacheTtlMs ?? 0) > 0) || options.cache === false)
      warnings.push(
        `task "${taskType}": semanticThreshold is ignored without a cache (cacheTtlMs > 0 and cache not false): the similar answers live in it`,
      );
  }
  return warnings;
}
