import { type ModelInfo, ModelNotFoundError, type Router, type RouterOptions } from '@llmo/core';
import { closestKey } from '@llmo/core/provider';
import { ConfigError, describeIssueLocation } from './config-error.js';
import type { ExpandedProvider } from './expand-providers.js';
import { locateIssues, type PathIssue } from './locate-issues.js';
import type { SourceLocations } from './source-locations.js';

/**
 * Whether `model` is among the listed ids: exactly, or as the servers spell it in lists (Ollama adds
 * `:latest` to a name without a tag, Gemini lists `models/<id>`).
 */
export function isListed(model: string, listed: readonly ModelInfo[]): boolean {
  return listed.some((m) => m.id === model || m.id === `${model}:latest` || m.id === `models/${model}`);
}

interface Missing {
  provider: ExpandedProvider;
  available: string[];
}

/**
 * Lists every provider's models (through `router.listModels`, so the lists are cached for later) and throws a
 * `ModelNotFoundError` naming every configured model its provider does not list, with its path and line.
 * A provider that cannot list models is skipped with a warning; one whose listing fails is a `ConfigError`.
 */
export async function validateModels(
  router: Router,
  expanded: readonly ExpandedProvider[],
  locations: SourceLocations,
  options: { signal?: AbortSignal; router?: Partial<RouterOptions> },
): Promise<void> {
  const lists = await router.listModels(undefined, { signal: options.signal });
  const missing: Missing[] = [];
  const failures: PathIssue[] = [];
  const onWarning = options.router?.onWarning;
  for (const entry of lists) {
    const provider = expanded.find((p) => p.name === entry.provider);
    if (!provider) continue;
    const path = modelPath(provider);
    if (entry.status === 'unsupported') {
      const warning = {
        code: 'models-not-checked',
        message: `Provider "${provider.name}" (${provider.type}) cannot list its models, so its model "${provider.model}" was not checked.`,
      };
      if (onWarning === undefined) {
        // biome-ignore lint/suspicious/noConsole: the router's default warning printer, for the same kind of notice.
        globalThis.console?.warn(`[llmo] ${warning.code}: ${warning.message}`);
      } else if (onWarning !== false) onWarning(warning);
    } else if (entry.status === 'failed') {
      const reason = entry.error instanceof Error ? entry.error.message : String(entry.error);
      failures.push({
        path,
        message: `could not list the models of provider "${provider.name}" to check "${provider.model}": ${reason}. Fix the provider's access, or start without validateModels`,
      });
    } else if (!isListed(provider.model, entry.models)) {
      missing.push({ provider, available: entry.models.map((m) => m.id) });
    }
  }
  if (failures.length > 0) {
    throw new ConfigError({
      title: 'Cannot check the configured models',
      issues: locateIssues(failures, locations),
    });
  }
  const first = missing[0];
  if (!first) return;
  const lines = missing.map(({ provider, available }) => {
    const [issue] = locateIssues([{ path: modelPath(provider), message: '' }], locations);
    const suggestion = closestKey(provider.model, available);
    const hint = suggestion
      ? `did you mean "${suggestion}"?`
      : `it lists ${available.slice(0, 10).join(', ')}${available.length > 10 ? ', …' : ''}`;
    return `  - ${issue ? describeIssueLocation(issue) : provider.name}: provider "${provider.name}" does not list the model "${provider.model}"; ${hint} Fix the model id, or remove it.`;
  });
  throw new ModelNotFoundError({
    provider: first.provider.name,
    model: first.provider.model,
    available: first.available,
    message: `${missing.length === 1 ? 'A configured model is' : `${missing.length} configured models are`} not offered by its provider:\n${lines.join('\n')}`,
  });
}

function modelPath(provider: ExpandedProvider): PropertyKey[] {
  return provider.position === 0
    ? ['providers', provider.index, 'model']
    : ['providers', provider.index, 'fallbackModels', provider.position - 1];
}
