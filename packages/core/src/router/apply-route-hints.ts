import type { ProviderV1 } from '../spec/provider-v1.js';
import type { RouteOptions } from './route-options.js';

/** Why one provider was left out: the hint that removed it, in the words of the route option. */
export interface HintRemoval {
  provider: string;
  /** e.g. `excludeProviders`, `requiredCapabilities: tools`, `maxCost` */
  hint: string;
  /** e.g. `price unknown`, `estimated 0.012 USD > 0.01 USD` */
  detail?: string;
}

/**
 * Narrows a strategy's order with the request's hints: drops excluded providers, those missing a required
 * capability, those whose context window cannot hold `promptTokens` plus `maxTokens`, and those over `maxCost`
 * (a provider with no known price is never assumed to fit), then moves the preferred provider to the front. Every removal is recorded with the hint that caused it, so an empty
 * result can say which hint removed which provider.
 */
export function applyRouteHints(
  order: readonly ProviderV1[],
  options: RouteOptions,
  estimateCost: (p: ProviderV1) => { amount: number; currency: string } | undefined,
): { order: ProviderV1[]; removed: HintRemoval[] } {
  const removed: HintRemoval[] = [];
  const excluded = new Set(options.excludeProviders ?? []);
  const required = options.requiredCapabilities ?? [];
  const maxCost = options.maxCost;
  const needed =
    options.promptTokens === undefined ? undefined : options.promptTokens + (options.maxTokens ?? 0);
  const why = (p: ProviderV1): HintRemoval | undefined => {
    if (excluded.has(p.name)) return { provider: p.name, hint: 'excludeProviders' };
    for (const capability of required) {
      // Every v1 provider streams unless it says otherwise; other capabilities must be declared.
      const value = p.capabilities?.[capability];
      if (capability === 'streaming' ? value === false : value !== true)
        return { provider: p.name, hint: `requiredCapabilities: ${capability}` };
    }
    const window = p.capabilities?.contextWindow;
    // A provider that declares no window is not assumed too small: it may fail with context_length, as before.
    if (needed !== undefined && window !== undefined && needed > window) {
      const what = options.maxTokens
        ? `${options.promptTokens} + ${options.maxTokens} (maxTokens)`
        : `${needed}`;
      return {
        provider: p.name,
        hint: 'promptTokens',
        detail: `${what} tokens > its context window of ${window}`,
      };
    }
    if (maxCost) {
      const cost = estimateCost(p);
      if (!cost) return { provider: p.name, hint: 'maxCost', detail: 'price unknown' };
      // Explicitly free (a zero price) fits any budget, whatever its currency.
      if (cost.amount === 0) return undefined;
      if (cost.currency !== maxCost.currency)
        return {
          provider: p.name,
          hint: 'maxCost',
          detail: `priced in ${cost.currency}, not ${maxCost.currency}`,
        };
      if (cost.amount > maxCost.amount)
        return {
          provider: p.name,
          hint: 'maxCost',
          detail: `estimated ${formatAmount(cost.amount)} ${cost.currency} > ${formatAmount(maxCost.amount)} ${maxCost.currency}`,
        };
    }
    return undefined;
  };
  const kept = order.filter((p) => {
    const removal = why(p);
    if (removal) removed.push(removal);
    return removal === undefined;
  });
  const preferred = options.preferredProvider;
  if (preferred) {
    const index = kept.findIndex((p) => p.name === preferred);
    if (index > 0) kept.unshift(...kept.splice(index, 1));
  }
  return { order: kept, removed };
}

/** "`maxCost` removed a (price unknown); `requiredCapabilities: tools` removed b, c" */
export function describeRemovals(removed: readonly HintRemoval[]): string {
  const byHint = new Map<string, string[]>();
  for (const r of removed) {
    const entry = r.detail ? `${r.provider} (${r.detail})` : r.provider;
    byHint.set(r.hint, [...(byHint.get(r.hint) ?? []), entry]);
  }
  const parts = [...byHint].map(([hint, names]) => `\`${hint}\` removed ${names.join(', ')}`);
  const fix = removed.some((r) => r.detail === 'price unknown')
    ? '; give unpriced providers prices (a zero price declares a provider free)'
    : '';
  return `the request's hints left no provider: ${parts.join('; ')}${fix}`;
}

/** Enough digits for token prices, without float noise (0.00030000000000000003 → 0.0003). */
function formatAmount(amount: number): string {
  return String(Number(amount.toPrecision(6)));
}
