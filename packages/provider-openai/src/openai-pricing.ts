import type { ModelPricing } from '@llmo/core/provider';

/** USD per 1M tokens → per 1K; the cached-input price where the model has prompt caching. */
const usd = (inputPerMillion: number, outputPerMillion: number, cachedPerMillion?: number): ModelPricing => ({
  inputPer1K: inputPerMillion / 1000,
  outputPer1K: outputPerMillion / 1000,
  ...(cachedPerMillion !== undefined && { cacheReadPer1K: cachedPerMillion / 1000 }),
  currency: 'USD',
});

/**
 * Prices of the model ids OpenAI lists, USD per 1M tokens (standard tier: input, output, cached input), from
 * openai.com/api/pricing. Exact ids only: a `-pro`, `-mini` or any other variant is a different model with
 * its own price, so nothing here is matched by prefix.
 */
const MODEL_PRICES: Record<string, ModelPricing> = {
  'gpt-5': usd(1.25, 10, 0.125),
  'gpt-5-mini': usd(0.25, 2, 0.025),
  'gpt-5-nano': usd(0.05, 0.4, 0.005),
  'gpt-5-pro': usd(15, 120),
  'gpt-4.1': usd(2, 8, 0.5),
  'gpt-4.1-mini': usd(0.4, 1.6, 0.1),
  'gpt-4.1-nano': usd(0.1, 0.4, 0.025),
  'gpt-4o': usd(2.5, 10, 1.25),
  // The first gpt-4o snapshot kept its launch price; later ones cost as `gpt-4o`.
  'gpt-4o-2024-05-13': usd(5, 15),
  'gpt-4o-mini': usd(0.15, 0.6, 0.075),
  o3: usd(2, 8, 0.5),
  'o3-pro': usd(20, 80),
  'o3-mini': usd(1.1, 4.4, 0.55),
  'o4-mini': usd(1.1, 4.4, 0.275),
  o1: usd(15, 60, 7.5),
  'o1-pro': usd(150, 600),
  'gpt-4-turbo': usd(10, 30),
  'gpt-3.5-turbo': usd(0.5, 1.5),
};

/**
 * Dated snapshots that cost the same as the model they are a version of (snapshot → model). Listed one by
 * one: a snapshot not here is unpriced, never guessed from its name.
 */
export const OPENAI_SNAPSHOT_ALIASES: Readonly<Record<string, string>> = {
  'gpt-5-2025-08-07': 'gpt-5',
  'gpt-5-mini-2025-08-07': 'gpt-5-mini',
  'gpt-5-nano-2025-08-07': 'gpt-5-nano',
  'gpt-5-pro-2025-10-06': 'gpt-5-pro',
  'gpt-4.1-2025-04-14': 'gpt-4.1',
  'gpt-4.1-mini-2025-04-14': 'gpt-4.1-mini',
  'gpt-4.1-nano-2025-04-14': 'gpt-4.1-nano',
  'gpt-4o-2024-08-06': 'gpt-4o',
  'gpt-4o-2024-11-20': 'gpt-4o',
  'gpt-4o-mini-2024-07-18': 'gpt-4o-mini',
  'o3-2025-04-16': 'o3',
  'o3-pro-2025-06-10': 'o3-pro',
  'o3-mini-2025-01-31': 'o3-mini',
  'o4-mini-2025-04-16': 'o4-mini',
  'o1-2024-12-17': 'o1',
  'o1-pro-2025-03-19': 'o1-pro',
  'gpt-4-turbo-2024-04-09': 'gpt-4-turbo',
  'gpt-3.5-turbo-0125': 'gpt-3.5-turbo',
};

/**
 * OpenAI list prices in USD by exact model id, dated snapshots included (from `OPENAI_SNAPSHOT_ALIASES`).
 * A model not listed, e.g. a new variant or snapshot, is unpriced (`openaiPricing` returns undefined); the
 * Router then reports a cost of 0 and warns once. Prices change: pass `pricing` to `createOpenAI` or `prices`
 * to the Router to override or to price a model missing here.
 */
export const OPENAI_PRICES: Record<string, ModelPricing> = {
  ...MODEL_PRICES,
  ...Object.fromEntries(
    Object.entries(OPENAI_SNAPSHOT_ALIASES).map(([snapshot, model]) => [snapshot, MODEL_PRICES[model]!]),
  ),
};

/** The price of exactly this model id (`gpt-4o-mini-2024-07-18` is listed), or undefined when it is not listed. */
export function openaiPricing(model: string): ModelPricing | undefined {
  return Object.hasOwn(OPENAI_PRICES, model) ? OPENAI_PRICES[model] : undefined;
}
