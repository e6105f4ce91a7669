import type { ModelPricing, PriceTable } from '../spec/model-pricing.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { DEFAULT_PRICES } from './default-prices.js';

function lookup(table: PriceTable | undefined, type: string, model: string): ModelPricing | undefined {
  const byModel = table?.[type];
  return byModel?.[model] ?? byModel?.default;
}

/**
 * The price of a provider's model: the user's table first, then the provider's own `pricing`, then the
 * defaults. Undefined when nothing is known: the router then never treats the provider as free (cost-aware
 * ranks it last, `maxCost` excludes it), reports a cost of 0 with `costKnown: false`, and warns once. A free
 * provider is declared with a zero price.
 */
export function resolvePricing(provider: ProviderV1, overrides?: PriceTable): ModelPricing | undefined {
  return (
    lookup(overrides, provider.providerType, provider.model) ??
    provider.pricing ??
    lookup(DEFAULT_PRICES, provider.providerType, provider.model)
  );
}

/**
 * Cost of a call: input and output tokens priced separately, per 1,000 tokens; of the input, tokens read from
 * or written to a prompt cache at their own prices when the model has them. `known` is false when the model
 * has no price: the amount is then 0 but means "unknown", not "free".
 */
export function computeCost(
  usage: {
    promptTokens: number;
    completionTokens: number;
    cacheReadTokens?: number;
    cacheWriteTokens?: number;
  },
  pricing: ModelPricing | undefined,
): { amount: number; currency: string; known: boolean } {
  if (!pricing) return { amount: 0, currency: 'USD', known: false };
  // Cache counts are part of promptTokens; a provider reporting more than that is clamped, never negative.
  const cacheRead = Math.min(usage.cacheReadTokens ?? 0, usage.promptTokens);
  const cacheWrite = Math.min(usage.cacheWriteTokens ?? 0, usage.promptTokens - cacheRead);
  const input =
    (usage.promptTokens - cacheRead - cacheWrite) * pricing.inputPer1K +
    cacheRead * (pricing.cacheReadPer1K ?? pricing.inputPer1K) +
    cacheWrite * (pricing.cacheWritePer1K ?? pricing.inputPer1K);
  const amount = (input + usage.completionTokens * pricing.outputPer1K) / 1000;
  return { amount: addAmounts(amount, 0), currency: pricing.currency, known: true };
}

/** Adds money amounts without accumulating binary noise (0.969 stays 0.969 after many additions). */
export function addAmounts(a: number, b: number): number {
  return Math.round((a + b) * 1e10) / 1e10;
}
