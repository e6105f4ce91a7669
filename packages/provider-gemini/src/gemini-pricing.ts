import type { ModelPricing } from '@llmo/core/provider';

/**
 * A Gemini model's list prices in USD per 1,000 tokens. `inputPer1K` / `outputPer1K` are the prices of a
 * prompt up to `longContextThreshold` tokens (what the Router uses); the long-context tier and the
 * context-cache read price sit beside them for the exact cost in `providerMetadata.gemini.cost`. Output
 * includes thinking tokens (billed as output).
 */
export interface GeminiModelPricing extends ModelPricing {
  /** Reading cached content (`cachedContentTokenCount`), per 1K tokens. */
  cacheReadPer1K: number;
  /** Prompts longer than this (in tokens) are billed at the long-context prices. */
  longContextThreshold?: number;
  longContextInputPer1K?: number;
  longContextOutputPer1K?: number;
  longContextCacheReadPer1K?: number;
}

const per1K = (perMillion: number) => Math.round((perMillion / 1000) * 1e9) / 1e9;

/** USD per 1M tokens (text input) → a pricing record. */
const usd = (
  input: number,
  output: number,
  cacheRead: number,
  longContext?: { threshold: number; input: number; output: number; cacheRead: number },
): GeminiModelPricing => ({
  inputPer1K: per1K(input),
  outputPer1K: per1K(output),
  cacheReadPer1K: per1K(cacheRead),
  currency: 'USD',
  ...(longContext
    ? {
        longContextThreshold: longContext.threshold,
        longContextInputPer1K: per1K(longContext.input),
        longContextOutputPer1K: per1K(longContext.output),
        longContextCacheReadPer1K: per1K(longContext.cacheRead),
      }
    : {}),
});

/**
 * Prices by exact model id (ai.google.dev/gemini-api/docs/pricing, paid tier, text/image/video input):
 * the stable id and the dated or numbered ids that cost the same. Nothing is matched by prefix: an unlisted
 * id is unpriced (the Router then reports cost 0, `costKnown: false`), never guessed. Override with
 * `pricing` on `createGemini` or `prices` on the Router. Audio input (priced higher on the Flash models) is
 * not priced separately: the contract carries text only.
 */
export const GEMINI_PRICES: Readonly<Record<string, GeminiModelPricing>> = (() => {
  const models: [ids: string[], price: GeminiModelPricing][] = [
    [['gemini-3-pro-preview'], usd(2, 12, 0.2, { threshold: 200_000, input: 4, output: 18, cacheRead: 0.4 })],
    [
      ['gemini-2.5-pro', 'gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro-preview-05-06'],
      usd(1.25, 10, 0.125, { threshold: 200_000, input: 2.5, output: 15, cacheRead: 0.25 }),
    ],
    [['gemini-2.5-flash', 'gemini-2.5-flash-preview-09-2025'], usd(0.3, 2.5, 0.03)],
    [['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite-preview-09-2025'], usd(0.1, 0.4, 0.01)],
    [['gemini-2.0-flash', 'gemini-2.0-flash-001'], usd(0.1, 0.4, 0.025)],
    [['gemini-2.0-flash-lite', 'gemini-2.0-flash-lite-001'], usd(0.075, 0.3, 0.075)],
  ];
  return Object.fromEntries(models.flatMap(([ids, price]) => ids.map((id) => [id, price])));
})();

/** Embedding models: USD per 1,000 input tokens (there is no output). */
export const GEMINI_EMBEDDING_PRICES: Readonly<Record<string, { inputPer1K: number; currency: 'USD' }>> = {
  'gemini-embedding-001': { inputPer1K: per1K(0.15), currency: 'USD' },
};

/** The price of exactly this model id (with or without `models/`), or undefined when it is not listed. */
export function geminiPricing(model: string): GeminiModelPricing | undefined {
  const id = model.replace(/^models\//, '');
  return Object.hasOwn(GEMINI_PRICES, id) ? GEMINI_PRICES[id] : undefined;
}

/** A plain `ModelPricing` override read as Gemini pricing: cache reads at the input price, one tier. */
export function asGeminiPricing(pricing: ModelPricing): GeminiModelPricing {
  return { cacheReadPer1K: pricing.inputPer1K, ...pricing };
}

/** Token counts of one call as Gemini bills them. */
export interface GeminiTokenCounts {
  /** `promptTokenCount`: the whole prompt, cached part included. */
  promptTokens: number;
  /** `cachedContentTokenCount`: the part of the prompt read from a context cache. */
  cachedTokens: number;
  /** `toolUsePromptTokenCount`: prompt tokens of built-in tool results. */
  toolUsePromptTokens: number;
  /** `candidatesTokenCount`: the answer, thinking excluded (pitfall 7). */
  candidatesTokens: number;
  /** `thoughtsTokenCount`: thinking, billed as output. */
  thoughtsTokens: number;
}

/**
 * The exact cost of a call: uncached input, cached input and output (answer + thinking) each at its price,
 * in the long-context tier when the prompt is longer than the threshold.
 */
export function geminiCost(counts: GeminiTokenCounts, pricing: GeminiModelPricing): number {
  const prompt = counts.promptTokens + counts.toolUsePromptTokens;
  const long =
    pricing.longContextThreshold !== undefined && prompt > pricing.longContextThreshold ? pricing : undefined;
  const input = long?.longContextInputPer1K ?? pricing.inputPer1K;
  const output = long?.longContextOutputPer1K ?? pricing.outputPer1K;
  const cacheRead = long?.longContextCacheReadPer1K ?? pricing.cacheReadPer1K;
  const cached = Math.min(counts.cachedTokens, prompt);
  const amount =
    (prompt - cached) * input +
    cached * cacheRead +
    (counts.candidatesTokens + counts.thoughtsTokens) * output;
  return Math.round((amount / 1000) * 1e10) / 1e10;
}
