import type { ModelPricing } from '@llmo/core/provider';

const usd = (inputPerMillion: number, outputPerMillion: number): ModelPricing => ({
  inputPer1K: inputPerMillion / 1000,
  outputPer1K: outputPerMillion / 1000,
  currency: 'USD',
});

/**
 * OpenAI list prices in USD (standard tier, uncached input), from openai.com/api/pricing. Prices change:
 * pass `pricing` to `createOpenAI` or `prices` to the Router to override. Dated snapshots (e.g.
 * `gpt-4o-2024-08-06`) use their family's price.
 */
export const OPENAI_PRICES: Record<string, ModelPricing> = {
  'gpt-5': usd(1.25, 10),
  'gpt-5-mini': usd(0.25, 2),
  'gpt-5-nano': usd(0.05, 0.4),
  'gpt-4.1': usd(2, 8),
  'gpt-4.1-mini': usd(0.4, 1.6),
  'gpt-4.1-nano': usd(0.1, 0.4),
  'gpt-4o': usd(2.5, 10),
  'gpt-4o-mini': usd(0.15, 0.6),
  o3: usd(2, 8),
  'o3-mini': usd(1.1, 4.4),
  'o4-mini': usd(1.1, 4.4),
  o1: usd(15, 60),
  'gpt-4-turbo': usd(10, 30),
  'gpt-3.5-turbo': usd(0.5, 1.5),
};

/** The price of a model: an exact entry, else the longest family prefix (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`). */
export function openaiPricing(model: string): ModelPricing | undefined {
  if (OPENAI_PRICES[model]) return OPENAI_PRICES[model];
  const family = Object.keys(OPENAI_PRICES)
    .filter((key) => model.startsWith(`${key}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family ? OPENAI_PRICES[family] : undefined;
}
