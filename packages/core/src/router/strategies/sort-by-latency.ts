import type { ProviderV1 } from '../../spec/provider-v1.js';

/**
 * Stable sort by a latency. `null` means "no latency samples": no data, judged optimistically, so those come
 * first and a provider gets traffic until it has numbers of its own. A provider whose only requests failed,
 * or failed for the caller's reasons, has no samples either and is still "no data", never "infinitely
 * slow" (that would starve it for good while its health says healthy).
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
