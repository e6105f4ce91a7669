import type { ProviderV1 } from '../spec/provider-v1.js';
import type { RouteOptions } from './route-options.js';

/**
 * Narrows a strategy's order with the request's hints: drops excluded providers, those missing a required
 * capability and those over `maxCost` (a provider with no known price is never assumed to fit: it is
 * dropped and named in `unpriced`), then moves the preferred provider to the front.
 */
export function applyRouteHints(
  order: readonly ProviderV1[],
  options: RouteOptions,
  estimateCost: (p: ProviderV1) => { amount: number; currency: string } | undefined,
): { order: ProviderV1[]; unpriced: string[] } {
  const unpriced: string[] = [];
  const excluded = new Set(options.excludeProviders ?? []);
  const required = options.requiredCapabilities ?? [];
  const maxCost = options.maxCost;
  const kept = order.filter((p) => {
    if (excluded.has(p.name)) return false;
    for (const capability of required) {
      // Every v1 provider streams unless it says otherwise; other capabilities must be declared.
      const value = p.capabilities?.[capability];
      if (capability === 'streaming' ? value === false : value !== true) return false;
    }
    if (maxCost) {
      const cost = estimateCost(p);
      if (!cost) {
        unpriced.push(p.name);
        return false;
      }
      // Explicitly free (a zero price) fits any budget, whatever its currency.
      if (cost.amount === 0) return true;
      if (cost.currency !== maxCost.currency || cost.amount > maxCost.amount) return false;
    }
    return true;
  });
  const preferred = options.preferredProvider;
  if (preferred) {
    const index = kept.findIndex((p) => p.name === preferred);
    if (index > 0) kept.unshift(...kept.splice(index, 1));
  }
  return { order: kept, unpriced };
}
