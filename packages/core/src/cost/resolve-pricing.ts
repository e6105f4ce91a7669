import type { ModelPricing, PriceTable } from '../spec/model-pricing.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { DEFAULT_PRICES } from './default-prices.js';

function lookup(table: PriceTable | undefined, type: string, model: string): ModelPricing | undefined {
  const byModel = table?.[type];
  return byModel?.[model] ?? byModel?.default;
}

/**
 * The price of a provider's model: the user's table first, then the provider's own `pricing`, then the
 * defaults. Undefined when nothing is known (the router then reports a cost of 0 and warns once).
 */
export function resolvePricing(provider: ProviderV1, overrides?: PriceTable): ModelPricing | undefined {
  return (
    lookup(overrides, provider.providerType, provider.model) ??
    provider.pricing ??
    lookup(DEFAULT_PRICES, provider.providerType, provider.model)
  );
}

/** Cost of a call: input and output tokens priced separately, per 1,000 tokens. */
export function computeCost(
  usage: { promptTokens: number; completionTokens: number },
  pricing: ModelPricing | undefined,
): { amount: number; currency: string } {
  if (!pricing) return { amount: 0, currency: 'USD' };
  const amount =
    (usage.promptTokens * pricing.inputPer1K + usage.completionTokens * pricing.outputPer1K) / 1000;
  return { amount: addAmounts(amount, 0), currency: pricing.currency };
}

/** Adds money amounts without accumulating binary noise (0.969 stays 0.969 after many additions). */
export function addAmounts(a: number, b: number): number {
  return Math.round((a + b) * 1e10) / 1e10;
}
