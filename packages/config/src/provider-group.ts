/**
 * How a config entry's providers are named: the entry's own model under the entry's `name` (its group), each
 * fallback model under `<name>/<model>`. One place for both directions, so the gateway's `model` selection and
 * allow-lists read names exactly as `expandProviders` writes them.
 */
export function fallbackProviderName(group: string, model: string): string {
  return `${group}/${model}`;
}

/** The group of a provider name: `primary` for `primary` and for its fallback models `primary/gpt-4o`. */
export function providerGroup(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(0, slash);
}
