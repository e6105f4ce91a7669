import type { ProviderMetricsView, ProviderV1, RouteOptions } from '@llmo/core';
import { OrchestratorError } from '../errors/orchestrator-error.js';
import type { TaskConfig } from './task-config.js';

/** What the orchestrator needs of a router: its providers and their live metrics, to turn a task into hints. */
export interface RouterView {
  getProviders(): readonly ProviderV1[];
  getMetrics(): Record<string, ProviderMetricsView>;
}

export interface ModelSelection {
  /** The router hints for this request. */
  hints: Pick<RouteOptions, 'preferredProvider' | 'excludeProviders' | 'requiredCapabilities' | 'maxCost'>;
  /** Providers the task allows, in the task's order of preference (the router tries the first one first). */
  candidates: string[];
  /** Why each left-out provider was left out, e.g. `{ provider: 'slow', reason: 'maxLatencyMs: 2300 ms > 1000 ms' }`. */
  removed: { provider: string; reason: string }[];
  /** True when nothing matched and the configured default model was used. */
  usedDefault: boolean;
  warnings: string[];
}

export interface SelectModelsOptions {
  /** Prompt tokens of the request, to skip providers whose `capabilities.contextWindow` it cannot fit. */
  promptTokens?: number;
  /** Provider name or model id used (with a warning) when the task's criteria leave no provider. */
  defaultModel?: string;
}

/**
 * Turns a task's criteria into the router's hints: the candidates are the preferred providers, then the
 * providers of the preferred models, then of the fallback models, in that order (all providers when the task
 * names none); those without a required capability, slower on average than `maxLatencyMs`, or with a context
 * window the prompt cannot fit are left out. The first candidate becomes `preferredProvider` and every other
 * provider is excluded; the router's strategy orders the rest, retries and falls back, as for any request.
 * This is a filter in front of the router, not a second router.
 */
export function selectModels(
  taskType: string,
  task: TaskConfig,
  router: RouterView,
  options: SelectModelsOptions = {},
): ModelSelection {
  const providers = router.getProviders();
  const warnings: string[] = [];
  const named = [
    ...(task.preferredProviders ?? []).map((name) => ({ by: 'provider', name })),
    ...[...(task.preferredModels ?? []), ...(task.fallbackModels ?? [])].map((name) => ({
      by: 'model',
      name,
    })),
  ];
  let ordered: ProviderV1[];
  if (named.length === 0) ordered = [...providers];
  else {
    const seen = new Set<ProviderV1>();
    ordered = [];
    for (const { by, name } of named) {
      const matches = providers.filter((p) => (by === 'provider' ? p.name === name : p.model === name));
      if (matches.length === 0)
        warnings.push(`task "${taskType}": no provider on the router serves ${by} "${name}"`);
      for (const p of matches)
        if (!seen.has(p)) {
          seen.add(p);
          ordered.push(p);
        }
    }
  }
  const removed: { provider: string; reason: string }[] = [];
  const metrics = task.maxLatencyMs !== undefined ? router.getMetrics() : {};
  const needed =
    options.promptTokens !== undefined ? options.promptTokens + (task.maxTokens ?? 0) : undefined;
  const kept = ordered.filter((p) => {
    for (const capability of task.requiredCapabilities ?? []) {
      // As the router reads capabilities: every v1 provider streams unless it says otherwise.
      const value = p.capabilities?.[capability];
      if (capability === 'streaming' ? value === false : value !== true) {
        removed.push({ provider: p.name, reason: `requiredCapabilities: ${capability}` });
        return false;
      }
    }
    const latency = metrics[p.name]?.rollingAvgLatencyMs;
    if (task.maxLatencyMs !== undefined && latency != null && latency > task.maxLatencyMs) {
      removed.push({
        provider: p.name,
        reason: `maxLatencyMs: ${Math.round(latency)} ms > ${task.maxLatencyMs} ms`,
      });
      return false;
    }
    const window = p.capabilities?.contextWindow;
    if (needed !== undefined && window !== undefined && needed > window) {
      removed.push({ provider: p.name, reason: `contextWindow: ${needed} tokens > ${window}` });
      return false;
    }
    return true;
  });
  const maxCost = task.maxCost ? { maxCost: task.maxCost } : {};
  if (kept.length > 0) {
    const keptSet = new Set(kept);
    const excluded = providers.filter((p) => !keptSet.has(p)).map((p) => p.name);
    return {
      hints: {
        preferredProvider: (kept[0] as ProviderV1).name,
        ...(excluded.length > 0 ? { excludeProviders: excluded } : {}),
        ...maxCost,
      },
      candidates: kept.map((p) => p.name),
      removed,
      usedDefault: false,
      warnings,
    };
  }
  const why =
    removed.length > 0
      ? removed.map((r) => `${r.provider} (${r.reason})`).join(', ')
      : 'none of its providers or models is on the router';
  const fallback = options.defaultModel
    ? (providers.find((p) => p.name === options.defaultModel) ??
      providers.find((p) => p.model === options.defaultModel))
    : undefined;
  if (!fallback)
    throw new OrchestratorError({
      code: 'no-model',
      message: `task "${taskType}": no provider matches its criteria: ${why}; ${
        options.defaultModel
          ? `the default model "${options.defaultModel}" is not on the router either`
          : 'set defaultModel in createOrchestrator to fall back to one'
      }`,
    });
  warnings.push(
    `task "${taskType}": no provider matches its criteria (${why}); using the default model "${options.defaultModel}" (provider ${fallback.name})`,
  );
  return {
    hints: { preferredProvider: fallback.name },
    candidates: [fallback.name],
    removed,
    usedDefault: true,
    warnings,
  };
}
