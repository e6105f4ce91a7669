import type { ModelPricing } from '@llmo/core/provider';

/** A model's list prices in USD per 1,000 tokens, with the prompt-caching prices beside the base ones. */
export interface AnthropicModelPricing extends ModelPricing {
  /** Writing the prompt cache with the default 5-minute lifetime (1.25 × input). */
  cacheWrite5mPer1K: number;
  /** What the Router prices every cache write at: the 5-minute price (1-hour writes are exact in the metadata). */
  cacheWritePer1K: number;
  /** Writing the prompt cache with the 1-hour lifetime (2 × input). */
  cacheWrite1hPer1K: number;
  /** Reading the prompt cache (0.1 × input). */
  cacheReadPer1K: number;
}

/** USD per 1M tokens → per 1K, with Anthropic's cache multipliers (docs "Pricing", "Prompt caching"). */
const usd = (inputPerMillion: number, outputPerMillion: number): AnthropicModelPricing => {
  const per1K = (perMillion: number) => Math.round((perMillion / 1000) * 1e9) / 1e9;
  return {
    inputPer1K: per1K(inputPerMillion),
    outputPer1K: per1K(outputPerMillion),
    cacheWrite5mPer1K: per1K(inputPerMillion * 1.25),
    cacheWritePer1K: per1K(inputPerMillion * 1.25),
    cacheWrite1hPer1K: per1K(inputPerMillion * 2),
    cacheReadPer1K: per1K(inputPerMillion * 0.1),
    currency: 'USD',
  };
};

/**
 * Prices by exact model id: the alias and its dated snapshot, from anthropic.com/pricing (standard tier).
 * Nothing is matched by prefix: an unlisted id is unpriced (the Router then reports cost 0, `costKnown:
 * false`), never guessed. Override with `pricing` on `createAnthropic` or `prices` on the Router.
 */
export const ANTHROPIC_PRICES: Readonly<Record<string, AnthropicModelPricing>> = (() => {
  const models: [ids: string[], price: AnthropicModelPricing][] = [
    [['claude-opus-4-5', 'claude-opus-4-5-20251101'], usd(5, 25)],
    [['claude-opus-4-1', 'claude-opus-4-1-20250805'], usd(15, 75)],
    [['claude-opus-4-0', 'claude-opus-4-20250514'], usd(15, 75)],
    [['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'], usd(3, 15)],
    [['claude-sonnet-4-0', 'claude-sonnet-4-20250514'], usd(3, 15)],
    [['claude-3-7-sonnet-latest', 'claude-3-7-sonnet-20250219'], usd(3, 15)],
    [['claude-haiku-4-5', 'claude-haiku-4-5-20251001'], usd(1, 5)],
    [['claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022'], usd(0.8, 4)],
    [['claude-3-haiku-20240307'], usd(0.25, 1.25)],
  ];
  return Object.fromEntries(models.flatMap(([ids, price]) => ids.map((id) => [id, price])));
})();

/**
 * Cache prices for a plain `ModelPricing` (a `pricing` override): Anthropic's multipliers on its input price.
 */
export function withCachePrices(pricing: ModelPricing): AnthropicModelPricing {
  const input = pricing.inputPer1K;
  const round = (n: number) => Math.round(n * 1e9) / 1e9;
  return {
    cacheWrite5mPer1K: round(input * 1.25),
    cacheWritePer1K: round(input * 1.25),
    cacheWrite1hPer1K: round(input * 2),
    cacheReadPer1K: round(input * 0.1),
    ...pricing,
  };
}

/** The price of exactly this model id, or undefined when it is not listed. */
export function anthropicPricing(model: string): AnthropicModelPricing | undefined {
  return Object.hasOwn(ANTHROPIC_PRICES, model) ? ANTHROPIC_PRICES[model] : undefined;
}

/** Token counts of one call as Anthropic splits its input. */
export interface AnthropicTokenCounts {
  /** Input tokens read neither from nor into the cache (`input_tokens`). */
  inputTokens: number;
  cacheCreationInputTokens: number;
  /** Of `cacheCreationInputTokens`, those written with the 1-hour lifetime. */
  cacheCreation1hInputTokens: number;
  cacheReadInputTokens: number;
  outputTokens: number;
}

/**
 * The exact cost of a call, each kind of input token at its own price, 1-hour cache writes included (the
 * Router prices every cache write at the 5-minute price; reported in `providerMetadata.anthropic.cost`).
 */
export function anthropicCost(counts: AnthropicTokenCounts, pricing: AnthropicModelPricing): number {
  const write5m = counts.cacheCreationInputTokens - counts.cacheCreation1hInputTokens;
  const amount =
    counts.inputTokens * pricing.inputPer1K +
    write5m * pricing.cacheWrite5mPer1K +
    counts.cacheCreation1hInputTokens * pricing.cacheWrite1hPer1K +
    counts.cacheReadInputTokens * pricing.cacheReadPer1K +
    counts.outputTokens * pricing.outputPer1K;
  return Math.round((amount / 1000) * 1e10) / 1e10;
}
