import type { ProviderV1 } from '../../spec/provider-v1.js';

/**
 * Stable sort by a latency. `null` means "no requests yet": those come first, so a new provider is judged
 * optimistically and gets traffic until it has numbers of its own. A provider that has only failed has no
 * latency but does have data; give it `Infinity`.
 */
export function sortByLatency(
  providers: readonly ProviderV1[],
  latency: (p: ProviderV1) => number | null,
): ProviderV1[] {
  const keyed = providers.map((provider, index) => ({ provider, index, value: latency(provider) }));
  keyed.sort((a, b) => {
    const av = a.value ?? -1;
    const bv = b.value ?? -1;
    return av - bv || a.index - b.index;
  });
  return keyed.map((k) => k.provider);
}
