import { closestKey } from '@llmo/core/provider';
import type { LlmoConfig } from './config-types.js';
import { expandProviders } from './expand-providers.js';
import type { PathIssue } from './locate-issues.js';

/** Checks across fields, once the shape is valid: names, defaults, usage and gateway references. */
export function checkConfig(config: LlmoConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const expanded = expandProviders(config.providers);
  if (expanded.length === 0) {
    issues.push({ path: ['providers'], message: 'every provider has enabled: false; enable at least one' });
  }

  // Names, expanded ones included, are unique.
  const firstAt = new Map<string, number>();
  for (const provider of expanded) {
    const seen = firstAt.get(provider.name);
    if (seen === undefined) {
      firstAt.set(provider.name, provider.index);
      continue;
    }
    if (seen === provider.index && provider.position > 0) {
      issues.push({
        path: ['providers', provider.index, 'fallbackModels'],
        message: `the model "${provider.model}" is listed twice (or is the entry's own model); list each model once`,
      });
    } else {
      const what =
        provider.position > 0 ? `the fallback provider "${provider.name}"` : `the name "${provider.name}"`;
      issues.push({
        path: ['providers', provider.index, provider.position > 0 ? 'fallbackModels' : 'name'],
        message: `${what} is already used by providers[${seen}]; names must be unique (fallback models are named <name>/<model>), rename one`,
      });
    }
  }

  const names = [...firstAt.keys()];
  const models = [...new Set(expanded.map((p) => p.model))];
  const defaults = config.defaults;
  if (defaults?.provider !== undefined && !firstAt.has(defaults.provider)) {
    issues.push({
      path: ['defaults', 'provider'],
      message: unknownName(defaults.provider, names, 'provider'),
    });
  }
  if (defaults?.model !== undefined) {
    const pool = expanded.filter(
      (p) => defaults.provider === undefined || p.group === groupOf(defaults.provider, expanded),
    );
    if (!pool.some((p) => p.model === defaults.model)) {
      const poolModels = [...new Set(pool.map((p) => p.model))];
      issues.push({
        path: ['defaults', 'model'],
        message: `${unknownName(defaults.model, poolModels, 'model')}${defaults.provider ? ` (of provider "${defaults.provider}")` : ''}`,
      });
    }
  }

  if (config.usage?.callbackUrl !== undefined && config.usage.costLog !== undefined) {
    issues.push({
      path: ['usage', 'costLog'],
      message:
        'usage.costLog and usage.callbackUrl cannot both be set: the router delivers usage to one sink. Keep one (a cost log can be built from the callback side)',
    });
  }

  const keys = config.gateway?.keys ?? [];
  const keyAt = new Map<string, number>();
  const nameAt = new Map<string, number>();
  keys.forEach((entry, i) => {
    // The gateway keys its rate limit windows and usage records (platformKeyId) by the name: two keys with one
    // name would share a window.
    if (entry.name !== undefined) {
      const named = nameAt.get(entry.name);
      if (named !== undefined) {
        issues.push({
          path: ['gateway', 'keys', i, 'name'],
          message: `the name "${entry.name}" is already used by gateway.keys[${named}]; key names must be unique (they key the rate limits and usage records), rename one`,
        });
      } else nameAt.set(entry.name, i);
    }
    const secret = entry.key ?? entry.keyHash;
    if (secret === undefined) return;
    const seen = keyAt.get(secret);
    if (seen !== undefined) {
      issues.push({
        path: ['gateway', 'keys', i, entry.key !== undefined ? 'key' : 'keyHash'],
        message: `repeats gateway.keys[${seen}]; each key must be different (give each client its own)`,
      });
    } else keyAt.set(secret, i);
    (entry.models ?? []).forEach((model, j) => {
      if (firstAt.has(model) || models.includes(model)) return;
      issues.push({
        path: ['gateway', 'keys', i, 'models', j],
        message: unknownName(model, [...names, ...models], 'provider name or model'),
      });
    });
  });
  return issues;
}

function groupOf(name: string, expanded: ReturnType<typeof expandProviders>): string | undefined {
  return expanded.find((p) => p.name === name)?.group;
}

/** A reference to a name that is not configured. The name is shown when it looks like one (names, model ids). */
function unknownName(given: string, known: readonly string[], what: string): string {
  const suggestion = closestKey(given, known);
  const list = known.length > 0 ? `; configured: ${known.join(', ')}` : '';
  const shown = /^[\w./:@-]{1,64}$/.test(given) ? ` "${given}"` : '';
  return suggestion
    ? `no ${what}${shown} is configured; did you mean "${suggestion}"?`
    : `no ${what}${shown} is configured${list}`;
}
