import type { OrchestratorOptions } from '../orchestrator-options.js';
import type { TaskConfig } from './task-config.js';
import type { TaskRegistry } from './task-registry.js';

/**
 * A warning per task whose `semanticThreshold` would be ignored. A semantic threshold needs both the cache
 * (cacheTtlMs > 0: the answers live in it) and an embedder; without them it would be silently ignored.
 */
export function semanticThresholdWarnings(
  tasks: TaskRegistry,
  options: Pick<OrchestratorOptions, 'cache' | 'semanticCache'>,
): string[] {
  return tasks
    .types()
    .map((taskType) => semanticThresholdWarning(taskType, tasks.get(taskType), options))
    .filter((warning): warning is string => warning !== undefined);
}

/** The warning for one task (`semanticThresholdWarnings`), or undefined when its threshold is used. */
export function semanticThresholdWarning(
  taskType: string,
  task: TaskConfig,
  options: Pick<OrchestratorOptions, 'cache' | 'semanticCache'>,
): string | undefined {
  if (task.semanticThreshold === undefined) return undefined;
  if (!options.semanticCache)
    return `task "${taskType}": semanticThreshold is ignored without the orchestrator's semanticCache option ({ embed })`;
  if (!((task.cacheTtlMs ?? 0) > 0) || options.cache === false)
    return `task "${taskType}": semanticThreshold is ignored without a cache (cacheTtlMs > 0 and cache not false): the similar answers live in it`;
  return undefined;
}
