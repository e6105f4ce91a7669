import type { LlmoConfig } from './config-types.js';
import { expandProviders } from './expand-providers.js';

/**
 * The route options that apply `defaults:`: `preferredProvider` is the default provider, or the provider
 * that serves the default model (`primary/gpt-4o`). Empty when nothing is set.
 *
 * @example
 * await router.route('Hi', { ...defaultRouteOptions(config) });
 */
export function defaultRouteOptions(config: LlmoConfig): { preferredProvider?: string } {
  const defaults = config.defaults;
  if (!defaults?.provider && !defaults?.model) return {};
  const expanded = expandProviders(config.providers);
  const group = expanded.find((p) => p.name === defaults.provider)?.group;
  const match = expanded.find(
    (p) =>
      (defaults.model === undefined || p.model === defaults.model) &&
      (group === undefined || p.group === group),
  );
  const preferredProvider =
    defaults.model === undefined ? defaults.provider : (match?.name ?? defaults.provider);
  return preferredProvider === undefined ? {} : { preferredProvider };
}
